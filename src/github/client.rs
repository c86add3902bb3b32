//! A thin layer over octocrab: bounded timeouts, bounded retries with backoff, full pagination,
//! and errors that say what failed without ever carrying the token.
//!
//! Requests go through octocrab's raw methods (`_get`, `_post`, `_patch`, `_delete`) with routes
//! relative to the API base, so the status, headers and body are ours to judge:
//!
//! - every route is relative, which is also what makes octocrab attach the token (it only sends
//!   `Authorization` to relative routes and to `api.github.com`); `Link: rel="next"` URLs are
//!   turned back into relative routes, so page 2 of a GHES listing is authenticated too, and a
//!   link that points outside the API base is refused;
//! - 5xx, 429 and secondary rate limits (403 with `retry-after`, `x-ratelimit-remaining: 0` or a
//!   "secondary rate limit" message) are retried a bounded number of times with doubling backoff;
//!   `retry-after` is honoured up to a cap; anything else is returned at once;
//! - each request has a deadline: a timeout is an error like any other.

use octocrab::service::middleware::retry::RetryConfig;
use octocrab::Octocrab;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// How a [`Client`] talks to the API.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// REST base, e.g. `https://api.github.com` or `https://ghes.example/api/v3`.
    pub api_url: String,
    /// GraphQL endpoint (minimizing comments): `https://api.github.com/graphql`, or
    /// `https://HOST/api/graphql` on GHES.
    pub graphql_url: String,
    /// Deadline for one request (connect, send, read the whole body).
    pub timeout: Duration,
    /// Attempts for one request, retries included (at least 1).
    pub attempts: u32,
    /// First backoff; it doubles after each retry.
    pub backoff: Duration,
    /// Cap on any single wait (also caps `retry-after`).
    pub max_backoff: Duration,
    /// Pages read at most from one listing (100 items each) before giving up.
    pub max_pages: usize,
}

impl ClientConfig {
    pub fn new(api_url: &str) -> Self {
        let api_url = api_url.trim_end_matches('/').to_string();
        ClientConfig {
            graphql_url: default_graphql_url(&api_url),
            api_url,
            timeout: Duration::from_secs(30),
            attempts: 5,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            max_pages: 100,
        }
    }
}

/// `…/api/v3` (GHES) → `…/api/graphql`; anything else → `…/graphql`.
pub fn default_graphql_url(api_url: &str) -> String {
    let api = api_url.trim_end_matches('/');
    match api.strip_suffix("/api/v3") {
        Some(host) => format!("{host}/api/graphql"),
        None => format!("{api}/graphql"),
    }
}

/// A failed request. `Display` names the request and GitHub's reason; never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `GET /repos/o/r/pulls/1` (path only, no query, no host).
    pub request: String,
    /// HTTP status, when a response came back.
    pub status: Option<u16>,
    pub message: String,
}

impl ApiError {
    pub fn is_forbidden(&self) -> bool {
        self.status == Some(403)
    }
    pub fn is_not_found(&self) -> bool {
        self.status == Some(404)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(s) => write!(f, "{} failed: HTTP {s}: {}", self.request, self.message),
            None => write!(f, "{} failed: {}", self.request, self.message),
        }
    }
}

impl std::error::Error for ApiError {}

/// A response: status, the headers guard reads, and the body text.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub link: Option<String>,
    pub retry_after: Option<u64>,
    pub ratelimit_remaining: Option<u64>,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// The GitHub client guard uses.
pub struct Client {
    crab: Octocrab,
    /// A second client rooted at the GraphQL endpoint's parent (GHES serves GraphQL at
    /// `/api/graphql`, outside the REST base `/api/v3`), and the route to post to.
    gql: (Octocrab, String),
    config: ClientConfig,
    /// Path prefix of the API base (`/api/v3` on GHES, empty on github.com).
    base_path: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the token.
        f.debug_struct("Client")
            .field("api_url", &self.config.api_url)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: ClientConfig, token: &str) -> Result<Client, String> {
        let crab = build_crab(&config.api_url, &config, token)?;
        let (gql_base, gql_route) = match config.graphql_url.rsplit_once('/') {
            Some((base, last)) if base.contains("://") && !last.is_empty() => {
                (base.to_string(), format!("/{last}"))
            }
            _ => return Err(format!("invalid GraphQL URL `{}`", config.graphql_url)),
        };
        let gql = (build_crab(&gql_base, &config, token)?, gql_route);
        let base_path = config
            .api_url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        Ok(Client {
            crab,
            gql,
            config,
            base_path,
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// One request with retries; returns any final response (the caller judges the status).
    pub async fn send(
        &self,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, ApiError> {
        self.send_with(&self.crab, method, route, body).await
    }

    async fn send_with(
        &self,
        crab: &Octocrab,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, ApiError> {
        let label = format!(
            "{} {}",
            method.as_str(),
            route.split('?').next().unwrap_or(route)
        );
        let attempts = self.config.attempts.max(1);
        let mut wait = self.config.backoff;
        let mut attempt = 1;
        loop {
            let outcome = self.send_once(crab, method, route, body).await;
            let retry_after = match &outcome {
                Ok(r) if retryable(r) => Some(r.retry_after),
                Ok(_) => None,
                // Transport errors and timeouts: retried like 5xx (the request may not have
                // reached GitHub; the writes guard retries are idempotent or checked after).
                Err(_) => Some(None),
            };
            match retry_after {
                Some(after) if attempt < attempts => {
                    let delay = after
                        .map(Duration::from_secs)
                        .unwrap_or(wait)
                        .min(self.config.max_backoff);
                    tokio::time::sleep(delay).await;
                    wait = (wait * 2).min(self.config.max_backoff);
                    attempt += 1;
                }
                _ => {
                    return outcome.map_err(|message| ApiError {
                        request: label.clone(),
                        status: None,
                        message,
                    });
                }
            }
        }
    }

    async fn send_once(
        &self,
        crab: &Octocrab,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, String> {
        let fut = async {
            let response = match method {
                Method::Get => crab._get(route).await,
                Method::Post => crab._post(route, body).await,
                Method::Patch => crab._patch(route, body).await,
                Method::Delete => crab._delete(route, body).await,
            }
            .map_err(|e| transport_reason(&e))?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let link = header("link");
            let retry_after = header("retry-after").and_then(|v| v.trim().parse().ok());
            let ratelimit_remaining =
                header("x-ratelimit-remaining").and_then(|v| v.trim().parse().ok());
            let body = crab
                .body_to_string(response)
                .await
                .map_err(|e| transport_reason(&e))?;
            Ok(Response {
                status,
                link,
                retry_after,
                ratelimit_remaining,
                body,
            })
        };
        match tokio::time::timeout(self.config.timeout, fut).await {
            Ok(result) => result,
            Err(_) => Err(format!(
                "timed out after {} s",
                self.config.timeout.as_secs_f32()
            )),
        }
    }

    /// A request whose response must be 2xx, decoded as `T`.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, ApiError> {
        let response = self.send(method, route, body).await?;
        decode(method, route, &response)
    }

    /// A request whose response must be 2xx; the body is ignored.
    pub async fn call(
        &self,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<(), ApiError> {
        let response = self.send(method, route, body).await?;
        check_status(method, route, &response)
    }

    /// `GET` a listing, every page (`per_page=100` is added), following `Link: rel="next"`.
    pub async fn list<T: DeserializeOwned>(&self, route: &str) -> Result<Vec<T>, ApiError> {
        let sep = if route.contains('?') { '&' } else { '?' };
        let mut next = Some(format!("{route}{sep}per_page=100"));
        let mut items = Vec::new();
        let mut pages = 0;
        while let Some(current) = next.take() {
            pages += 1;
            if pages > self.config.max_pages {
                return Err(ApiError {
                    request: format!("GET {route}"),
                    status: None,
                    message: format!(
                        "more than {} pages; refusing to judge a partial list",
                        self.config.max_pages
                    ),
                });
            }
            let response = self.send(Method::Get, &current, None).await?;
            let mut page: Vec<T> = decode(Method::Get, &current, &response)?;
            items.append(&mut page);
            if let Some(link) = response.link.as_deref().and_then(next_link) {
                next = Some(self.relative(&link).ok_or_else(|| ApiError {
                    request: format!("GET {route}"),
                    status: None,
                    message: "the next-page link points outside the API base URL".to_string(),
                })?);
            }
        }
        Ok(items)
    }

    /// A GraphQL request to the configured endpoint; `errors` in the answer is an error.
    pub async fn graphql(&self, query: &serde_json::Value) -> Result<serde_json::Value, ApiError> {
        let (crab, route) = &self.gql;
        let response = self
            .send_with(crab, Method::Post, route, Some(query))
            .await?;
        let value: serde_json::Value = decode(Method::Post, route, &response)?;
        if let Some(errors) = value.get("errors").and_then(|e| e.as_array()) {
            if !errors.is_empty() {
                let message = errors
                    .iter()
                    .filter_map(|e| e.get("message").and_then(|m| m.as_str()))
                    .collect::<Vec<_>>()
                    .join("; ");
                return Err(ApiError {
                    request: "POST graphql".to_string(),
                    status: Some(200),
                    message,
                });
            }
        }
        Ok(value)
    }

    /// An absolute URL under the API base as a route relative to it, or `None` when it is
    /// elsewhere (octocrab prefixes the base path to every relative route).
    fn relative(&self, url: &str) -> Option<String> {
        let origin_end = url
            .split_once("://")
            .map(|(scheme, rest)| scheme.len() + 3 + rest.find('/').unwrap_or(rest.len()))?;
        let (origin, path) = url.split_at(origin_end);
        let api_origin_end = self
            .config
            .api_url
            .split_once("://")
            .map(|(scheme, rest)| scheme.len() + 3 + rest.find('/').unwrap_or(rest.len()))?;
        if !origin.eq_ignore_ascii_case(&self.config.api_url[..api_origin_end]) {
            return None;
        }
        let path = if path.is_empty() { "/" } else { path };
        if self.base_path.is_empty() {
            return Some(path.to_string());
        }
        // octocrab prefixes the base path to every relative route.
        path.strip_prefix(&self.base_path)
            .filter(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
            .map(|rest| {
                if rest.starts_with('/') {
                    rest.to_string()
                } else {
                    format!("/{rest}")
                }
            })
    }
}

fn build_crab(base: &str, config: &ClientConfig, token: &str) -> Result<Octocrab, String> {
    Octocrab::builder()
        .base_uri(base)
        .map_err(|_| format!("invalid GitHub API URL `{base}`"))?
        .add_retry_config(RetryConfig::None)
        .set_connect_timeout(Some(config.timeout))
        .set_read_timeout(Some(config.timeout))
        .set_write_timeout(Some(config.timeout))
        .personal_token(token.to_string())
        .build()
        .map_err(|_| "cannot build the GitHub client".to_string())
}

/// Whether GitHub asks us to come back later: 5xx, 429, or a secondary rate limit on 403.
fn retryable(r: &Response) -> bool {
    match r.status {
        500..=599 | 429 => true,
        403 => {
            r.retry_after.is_some()
                || r.ratelimit_remaining == Some(0)
                || r.body.to_ascii_lowercase().contains("rate limit")
        }
        _ => false,
    }
}

fn check_status(method: Method, route: &str, response: &Response) -> Result<(), ApiError> {
    if (200..300).contains(&response.status) {
        Ok(())
    } else {
        Err(ApiError {
            request: format!(
                "{} {}",
                method.as_str(),
                route.split('?').next().unwrap_or(route)
            ),
            status: Some(response.status),
            message: github_message(&response.body),
        })
    }
}

fn decode<T: DeserializeOwned>(
    method: Method,
    route: &str,
    response: &Response,
) -> Result<T, ApiError> {
    check_status(method, route, response)?;
    serde_json::from_str(&response.body).map_err(|e| ApiError {
        request: format!(
            "{} {}",
            method.as_str(),
            route.split('?').next().unwrap_or(route)
        ),
        status: Some(response.status),
        message: format!("unexpected response: {e}"),
    })
}

/// GitHub's `message`, or a short generic reason; never the whole body.
fn github_message(body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Body {
        message: Option<String>,
    }
    match serde_json::from_str::<Body>(body) {
        Ok(Body { message: Some(m) }) => m.chars().take(300).collect(),
        _ if body.trim().is_empty() => "no details".to_string(),
        _ => body.trim().chars().take(120).collect(),
    }
}

/// The reason of a transport error, without anything from the request (headers, token).
fn transport_reason(e: &octocrab::Error) -> String {
    let text = e.to_string();
    // octocrab's Display of some variants appends a backtrace; keep the first line.
    let first = text.lines().next().unwrap_or("request failed").trim();
    if first.is_empty() {
        "request failed".to_string()
    } else {
        first.chars().take(200).collect()
    }
}

/// The `rel="next"` URL of a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| url.to_string())
    })
}

/// Serializes a request body.
pub fn body<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_next_links() {
        let h = r#"<https://api.github.com/repositories/1/pulls/2/reviews?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/pulls/2/reviews?per_page=100&page=3>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/repositories/1/pulls/2/reviews?per_page=100&page=2")
        );
        assert_eq!(next_link(r#"<https://x/y?page=1>; rel="prev""#), None);
    }

    #[test]
    fn graphql_url_for_ghes() {
        assert_eq!(
            default_graphql_url("https://ghe.example/api/v3"),
            "https://ghe.example/api/graphql"
        );
        assert_eq!(
            default_graphql_url("https://api.github.com"),
            "https://api.github.com/graphql"
        );
    }

    #[test]
    fn relative_routes_stay_under_the_base() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let c = Client::new(ClientConfig::new("https://ghe.example/api/v3"), "t").unwrap();
            assert_eq!(
                c.relative("https://ghe.example/api/v3/repos/a/b?page=2")
                    .as_deref(),
                Some("/repos/a/b?page=2")
            );
            assert_eq!(c.relative("https://evil.example/api/v3/repos/a/b"), None);
            assert_eq!(c.relative("https://ghe.example/api/v3x/repos"), None);
            assert_eq!(c.gql.1, "/graphql");
        });
    }
}

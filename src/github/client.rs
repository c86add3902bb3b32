//! A thin layer over octocrab: bounded timeouts, bounded retries with backoff, full pagination,
//! and errors that say what failed without ever carrying the token.
//!
//! Requests go through octocrab's raw methods (`_get`, `_post`, `_patch`, `_delete`) rather than
//! its typed handlers, because guard judges every status and header itself (its own bounded
//! retries honour `retry-after`, which octocrab's errors do not carry); successful bodies are
//! decoded by octocrab ([`FromResponse`]) into its typed models and [`Page`]s:
//!
//! - every route is relative, which is also what makes octocrab attach the token (it only sends
//!   `Authorization` to relative routes and to `api.github.com`); a page's `next` link (parsed
//!   by octocrab's [`Page`]) is turned back into a relative route, so page 2 of a GHES listing is
//!   authenticated too, and a link that points outside the API base is refused;
//! - 5xx, 429 and secondary rate limits (403 with `retry-after`, `x-ratelimit-remaining: 0` or a
//!   "secondary rate limit" message) are retried a bounded number of times with doubling backoff;
//!   `retry-after` is honoured up to a cap; anything else is returned at once;
//! - each request has a deadline: a timeout is an error like any other.

use octocrab::{FromResponse, Octocrab, Page};
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

/// Why a [`Client`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The REST (or GraphQL host) base is not a URL octocrab accepts.
    InvalidApiUrl(String),
    /// The GraphQL URL has no path to post to.
    InvalidGraphqlUrl(String),
    /// octocrab refused the configuration (TLS, middleware).
    Build,
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::InvalidApiUrl(url) => write!(f, "invalid GitHub API URL `{url}`"),
            ClientError::InvalidGraphqlUrl(url) => write!(f, "invalid GraphQL URL `{url}`"),
            ClientError::Build => f.write_str("cannot build the GitHub client"),
        }
    }
}

impl std::error::Error for ClientError {}

/// One attempt that got no usable answer: retried like a 5xx.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Transport {
    /// The deadline passed (connect, send or reading the body).
    TimedOut(Duration),
    /// The connection or the body failed; the reason holds nothing from the request.
    Failed(String),
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transport::TimedOut(after) => write!(f, "timed out after {} s", after.as_secs_f32()),
            Transport::Failed(reason) => f.write_str(reason),
        }
    }
}

/// A non-2xx response: status, the headers guard reads, and the body text.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: u16,
    pub retry_after: Option<u64>,
    pub ratelimit_remaining: Option<u64>,
    pub body: String,
}

/// What one attempt returned.
enum Attempt<T> {
    /// 2xx, decoded (`None` when the body was not asked for).
    Done(Option<T>),
    /// 2xx whose body is not what the route returns: not retried.
    Undecodable(u16, String),
    /// Not 2xx: judged by [`retryable`] and [`refused`].
    Refused(Refusal),
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

/// `GET /path` of a route, without its query (which may hold a page cursor).
fn label(method: Method, route: &str) -> String {
    format!(
        "{} {}",
        method.as_str(),
        route.split('?').next().unwrap_or(route)
    )
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
    pub fn new(config: ClientConfig, token: &str) -> Result<Client, ClientError> {
        let crab = build_crab(&config.api_url, &config, token)?;
        let (gql_base, gql_route) = match config.graphql_url.rsplit_once('/') {
            Some((base, last)) if base.contains("://") && !last.is_empty() => {
                (base.to_string(), format!("/{last}"))
            }
            _ => return Err(ClientError::InvalidGraphqlUrl(config.graphql_url.clone())),
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

    /// One request with bounded retries; a 2xx body is decoded as `T` when `read` is set.
    async fn send<T: FromResponse>(
        &self,
        crab: &Octocrab,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
        read: bool,
    ) -> Result<Option<T>, ApiError> {
        let attempts = self.config.attempts.max(1);
        let mut wait = self.config.backoff;
        let mut attempt = 1;
        loop {
            let outcome = self.send_once::<T>(crab, method, route, body, read).await;
            let retry_after = match &outcome {
                Ok(Attempt::Refused(r)) if retryable(r) => Some(r.retry_after),
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
                    let request = label(method, route);
                    return match outcome {
                        Ok(Attempt::Done(value)) => Ok(value),
                        Ok(Attempt::Undecodable(status, reason)) => Err(ApiError {
                            request,
                            status: Some(status),
                            message: format!("unexpected response: {reason}"),
                        }),
                        Ok(Attempt::Refused(r)) => Err(ApiError {
                            request,
                            status: Some(r.status),
                            message: github_message(&r.body),
                        }),
                        Err(transport) => Err(ApiError {
                            request,
                            status: None,
                            message: transport.to_string(),
                        }),
                    };
                }
            }
        }
    }

    async fn send_once<T: FromResponse>(
        &self,
        crab: &Octocrab,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
        read: bool,
    ) -> Result<Attempt<T>, Transport> {
        let fut = async {
            let response = match method {
                Method::Get => crab._get(route).await,
                Method::Post => crab._post(route, body).await,
                Method::Patch => crab._patch(route, body).await,
                Method::Delete => crab._delete(route, body).await,
            }
            .map_err(|e| Transport::Failed(first_line(&e)))?;
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                if !read {
                    return Ok(Attempt::Done(None));
                }
                return Ok(match T::from_response(response).await {
                    Ok(value) => Attempt::Done(Some(value)),
                    Err(e) => Attempt::Undecodable(status, first_line(&e)),
                });
            }
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok())
            };
            let retry_after = header("retry-after");
            let ratelimit_remaining = header("x-ratelimit-remaining");
            let body = crab
                .body_to_string(response)
                .await
                .map_err(|e| Transport::Failed(first_line(&e)))?;
            Ok(Attempt::Refused(Refusal {
                status,
                retry_after,
                ratelimit_remaining,
                body,
            }))
        };
        match tokio::time::timeout(self.config.timeout, fut).await {
            Ok(result) => result,
            Err(_) => Err(Transport::TimedOut(self.config.timeout)),
        }
    }

    /// A request whose response must be 2xx, decoded as `T` (an octocrab model where one fits).
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, ApiError> {
        self.decoded(method, route, body).await
    }

    /// A request whose response must be 2xx, decoded by octocrab as `T` (a model or a page).
    async fn decoded<T: FromResponse>(
        &self,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, ApiError> {
        self.send::<T>(&self.crab, method, route, body, true)
            .await?
            .ok_or_else(|| ApiError {
                request: label(method, route),
                status: None,
                message: "no response body".to_string(),
            })
    }

    /// A request whose response must be 2xx; the body is not read.
    pub async fn call(
        &self,
        method: Method,
        route: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<(), ApiError> {
        self.send::<serde::de::IgnoredAny>(&self.crab, method, route, body, false)
            .await
            .map(|_| ())
    }

    /// `GET` a listing, every page (`per_page=100` is added), following octocrab's
    /// [`Page::next`] and refusing a partial list past `max_pages`.
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
            let mut page: Page<T> = self.decoded(Method::Get, &current, None).await?;
            items.append(&mut page.take_items());
            if let Some(link) = &page.next {
                next = Some(self.relative(&link.to_string()).ok_or_else(|| ApiError {
                    request: format!("GET {route}"),
                    status: None,
                    message: "the next-page link points outside the API base URL".to_string(),
                })?);
            }
        }
        Ok(items)
    }

    /// A GraphQL request to the configured endpoint; `errors` in the answer is an error.
    /// octocrab's `graphql` helper posts to `/graphql` under the REST base, which is not where
    /// GHES serves it, and does not retry: the raw post to the second client is kept.
    pub async fn graphql(&self, query: &serde_json::Value) -> Result<serde_json::Value, ApiError> {
        let (crab, route) = &self.gql;
        let value: serde_json::Value = self
            .send::<serde_json::Value>(crab, Method::Post, route, Some(query), true)
            .await?
            .unwrap_or_default();
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

/// An octocrab client without its retry layer (the `retry` feature is off): guard's own bounded
/// retries ([`Client::send`]) judge status and headers.
fn build_crab(base: &str, config: &ClientConfig, token: &str) -> Result<Octocrab, ClientError> {
    Octocrab::builder()
        .base_uri(base)
        .map_err(|_| ClientError::InvalidApiUrl(base.to_string()))?
        .set_connect_timeout(Some(config.timeout))
        .set_read_timeout(Some(config.timeout))
        .set_write_timeout(Some(config.timeout))
        .personal_token(token.to_string())
        .build()
        .map_err(|_| ClientError::Build)
}

/// Whether GitHub asks us to come back later: 5xx, 429, or a secondary rate limit on 403.
fn retryable(r: &Refusal) -> bool {
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

/// The first line of an octocrab error, without anything from the request (headers, token):
/// its Display of some variants appends a backtrace.
fn first_line(e: &octocrab::Error) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("request failed").trim();
    if first.is_empty() {
        "request failed".to_string()
    } else {
        first.chars().take(200).collect()
    }
}

/// Serializes a request body.
pub fn body<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn bad_urls_are_typed_errors_with_the_old_text() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _entered = rt.enter();
        let mut config = ClientConfig::new("https://api.github.com");
        config.graphql_url = "graphql".to_string();
        let e = Client::new(config, "t").unwrap_err();
        assert_eq!(e, ClientError::InvalidGraphqlUrl("graphql".to_string()));
        assert_eq!(e.to_string(), "invalid GraphQL URL `graphql`");
        let e = Client::new(ClientConfig::new("not a url"), "t").unwrap_err();
        assert_eq!(e.to_string(), "invalid GitHub API URL `not a url`");
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

//! Shared helpers for the GitHub scenario tests: fixtures with GitHub's real JSON shapes (under
//! `testdata/github/`), a wiremock server standing in for the API, and the exact request log.
#![allow(dead_code)]

use guard::github::{Context, GithubArgs};
use guard::stages::Triaged;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const HEAD: &str = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
pub const OLD: &str = "9fceb02d0ae598e95dc970b74767f19372d61af8";
pub const NEWER: &str = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
pub const TOKEN: &str = "ghs_testtoken0123456789abcdefABCDEF0123";
pub const REPO: &str = "/repos/acme/infra";

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

pub fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(testdata(&format!("github/{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn user(login: &str, kind: &str) -> Value {
    let mut u = fixture("review")["user"].clone();
    u["login"] = json!(login);
    u["type"] = json!(kind);
    u["html_url"] = json!(format!("https://github.com/{login}"));
    u
}

pub fn pull(head: &str, author: &str) -> Value {
    let mut p = fixture("pull");
    p["head"]["sha"] = json!(head);
    p["user"] = user(author, "User");
    p
}

pub fn review(id: u64, login: &str, kind: &str, state: &str, commit: &str, body: &str) -> Value {
    let mut r = fixture("review");
    r["id"] = json!(id);
    r["user"] = user(login, kind);
    r["state"] = json!(state);
    r["commit_id"] = json!(commit);
    r["body"] = json!(body);
    r
}

pub fn approve(id: u64, login: &str) -> Value {
    review(id, login, "User", "APPROVED", HEAD, "LGTM")
}

pub fn commit(author: &str, committer: &str, message: &str) -> Value {
    let mut c = fixture("commit");
    c["author"] = user(author, "User");
    c["committer"] = user(committer, "User");
    c["commit"]["message"] = json!(message);
    c
}

pub fn permission(login: &str, level: &str) -> Value {
    let mut p = fixture("permission");
    p["permission"] = json!(if level == "maintain" { "write" } else { level });
    p["role_name"] = json!(level);
    p["user"]["login"] = json!(login);
    p
}

pub fn comment(id: u64, login: &str, kind: &str, body: &str) -> Value {
    let mut c = fixture("comment");
    c["id"] = json!(id);
    c["node_id"] = json!(format!("IC_node{id}"));
    c["user"] = user(login, kind);
    c["body"] = json!(body);
    c["html_url"] = json!(format!(
        "https://github.com/acme/infra/pull/42#issuecomment-{id}"
    ));
    c["url"] = json!(format!(
        "https://api.github.com/repos/acme/infra/issues/comments/{id}"
    ));
    c
}

pub fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

pub fn error(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "message": message,
        "documentation_url": "https://docs.github.com/rest",
        "status": status.to_string(),
    }))
}

/// A GitHub stand-in: every unexpected request gets a 418 that names it.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(error(418, "unexpected request in test"))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

pub async fn mount_get(server: &MockServer, route: &str, body: Value) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ok(body))
        .mount(server)
        .await;
}

/// A listing answered in pages of the given items (page 1 has no `page` parameter).
pub async fn mount_pages(server: &MockServer, route: &str, pages: Vec<Vec<Value>>) {
    let n = pages.len();
    for (i, items) in pages.into_iter().enumerate() {
        let page = i + 1;
        let mut response = ok(Value::Array(items));
        if page < n {
            response = response.insert_header(
                "link",
                format!(
                    "<{}{route}?per_page=100&page={}>; rel=\"next\", <{}{route}?per_page=100&page={n}>; rel=\"last\"",
                    server.uri(),
                    page + 1,
                    server.uri()
                )
                .as_str(),
            );
        }
        let mock = Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("per_page", "100"));
        let mock = if page == 1 {
            mock.and(query_param_is_missing("page"))
        } else {
            mock.and(query_param("page", page.to_string()))
        };
        mock.respond_with(response).mount(server).await;
    }
}

/// `METHOD /path?query` of every request received, in order.
pub async fn requests(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{} {}?{q}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect()
}

/// With `GUARD_RECORD_REQUESTS=FILE`, appends every request as a JSON line (for the contract
/// check in `.ci/contract.sh`, which replays them against GitHub's OpenAPI description).
pub async fn record(server: &MockServer) {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let Some(file) = std::env::var_os("GUARD_RECORD_REQUESTS") else {
        return;
    };
    let mut text = String::new();
    for r in server.received_requests().await.unwrap_or_default() {
        let line = json!({
            "method": r.method.to_string(),
            "path": r.url.path(),
            "query": r.url.query(),
            "body": if r.body.is_empty() { Value::Null } else { json!(String::from_utf8_lossy(&r.body)) },
        });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    let _guard = LOCK.lock().unwrap();
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// Every request carried the token as a bearer token (and is recorded, see [`record`]).
pub async fn assert_authenticated(server: &MockServer) {
    record(server).await;
    for r in server.received_requests().await.unwrap_or_default() {
        let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok());
        assert_eq!(auth, Some(format!("Bearer {TOKEN}").as_str()), "{}", r.url);
    }
}

/// The triage stages' value for a plan, as the approval stage receives it.
pub fn report(plan: &str) -> Triaged {
    let options = guard::Options::default();
    let mut report = guard::checked(&[testdata(plan)], &options).untriaged();
    // Paths as a workflow would give them (relative to the repository).
    for p in &mut report.plans {
        p.file = p
            .file
            .rsplit_once("testdata/")
            .map(|(_, r)| format!("testdata/{r}"))
            .unwrap_or(p.file.clone());
    }
    for f in &mut report.findings {
        f.source_name = f
            .source_name
            .rsplit_once("testdata/")
            .map(|(_, r)| format!("testdata/{r}"))
            .unwrap_or(f.source_name.clone());
    }
    report
}

pub fn privileged_report() -> Triaged {
    report("github/plan-privileged.json")
}

/// A context against the mock server, with fast retries and short timeouts.
pub fn context(server: &MockServer, args: GithubArgs, env: &[(&str, &str)]) -> Context {
    let uri = server.uri();
    let mut vars: Vec<(String, String)> = vec![
        ("GITHUB_REPOSITORY".into(), "acme/infra".into()),
        ("GITHUB_API_URL".into(), uri.clone()),
        ("GITHUB_GRAPHQL_URL".into(), format!("{uri}/graphql")),
        ("GITHUB_TOKEN".into(), TOKEN.into()),
        ("GITHUB_SERVER_URL".into(), "https://github.com".into()),
        ("GITHUB_RUN_ID".into(), "9001".into()),
    ];
    for (k, v) in env {
        vars.retain(|(key, _)| key != k);
        if !v.is_empty() {
            vars.push((k.to_string(), v.to_string()));
        }
    }
    let args = GithubArgs {
        github: true,
        pr: args.pr.or(Some(42)),
        sha: args.sha.clone().or(Some(HEAD.to_string())),
        ..args
    };
    let mut ctx = Context::from_env(&args, &guard_policies::Settings::default(), |k| {
        vars.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    ctx.client.backoff = Duration::from_millis(5);
    ctx.client.max_backoff = Duration::from_millis(20);
    ctx.client.timeout = Duration::from_millis(700);
    ctx.check_run = false;
    ctx.annotations = false;
    ctx
}
pub mod plans;

/// A report for a plan file anywhere, shown as `shown_as`.
pub fn report_at(plan: &Path, shown_as: &str) -> Triaged {
    let mut report = guard::checked(&[plan.to_path_buf()], &guard::Options::default()).untriaged();
    for p in &mut report.plans {
        p.file = shown_as.to_string();
    }
    for f in &mut report.findings {
        f.source_name = shown_as.to_string();
    }
    report
}

/// A fresh file path under the target directory.
pub fn temp_file(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("guard-github-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

use crate::model::InputKind;
use crate::policy::Check;
use crate::secret_patterns::{detect, entropy, is_secret_name};
use crate::{declare_policy, Context, Resource, ValueKind, ValueRef};
use std::collections::HashSet;

declare_policy! {
    /// ## What it checks
    /// Secrets written into configuration as literals.
    ///
    /// Covered: resource attributes, provider blocks, variable defaults, `.tfvars`
    /// and Terragrunt inputs. A value is reported when it matches a detector (AWS access key id,
    /// private key block, GitHub and Slack tokens, Slack webhook, Google API key, Stripe live key,
    /// JSON web token), or by where the literal goes and what it looks like:
    ///
    /// - any literal of 6 characters or more that reaches a password attribute (`password`,
    ///   `master_password`, `admin_passphrase`, ...), however low its entropy: a variable default
    ///   `"Aa1234321Bb"` that feeds a database password is a weak password, not a harmless one;
    /// - a random-looking literal (8 characters or more, 3 bits of entropy per character) in
    ///   another attribute whose name says it holds a secret (`client_secret`, `token`,
    ///   `private_key`, ...; not `secret_arn`, `password_length`, `customer_master_key_spec`).
    ///
    /// Placeholders are not secrets: placeholder words (`CHANGE_ME`, `<password>`, `dummy`),
    /// a value equal to its own attribute or variable name (`client_secret = "client_secret"`),
    /// constants (`ECC_NIST_P256`), host names, ARNs, paths and template references.
    ///
    /// The message names the attribute and the detector, never the value. A secret that flows
    /// into several resources is reported once, at the line where it is written.
    ///
    /// On a plan, values do not say where they came from: a password injected from a CI secret
    /// looks the same as one written in the code. There the policy reports only detector matches
    /// in attributes the provider does not treat as sensitive (an access key in a Lambda
    /// environment, a token in user data), since those end up readable in state and consoles
    /// however they got there. Values known only after apply are not secrets written in the code,
    /// so they are never reported.
    ///
    /// Credentials written in a `provider` block (`access_key`, `secret_key`, `token`, ...) are
    /// checked the same way, in source only: a plan does not carry provider configuration.
    ///
    /// ## Why it matters
    /// A secret in a repository is readable by everyone with read access, forever: in history,
    /// forks, CI logs and the Terraform state. Leaked AWS keys are exploited within minutes of
    /// being pushed to a public repository.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   username = "admin"
    ///   password = "Sup3r-Secr3t-Passw0rd"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Let the service manage the secret, or read it at apply time:
    ///
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   username                    = "admin"
    ///   manage_master_user_password = true
    /// }
    /// ```
    ///
    /// or a `sensitive` variable set from the environment (`TF_VAR_db_password`), or
    /// `ephemeral` resources and write-only attributes (`password_wo`) on Terraform 1.11+. Rotate
    /// any secret that was committed.
    ///
    /// ## References
    /// - <https://developer.hashicorp.com/terraform/language/manage-sensitive-data>
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html>
    pub static HARDCODED_SECRET = {
        code: "SEC001",
        name: "hardcoded-secret",
        severity: Critical,
        inputs: Both,
        check: Check::Model(check),
    }
}

/// Why a string is a secret, or `None`.
///
/// Judged by where the literal goes and what it looks like, not by entropy alone: any literal
/// that reaches a password attribute is a password (`Aa1234321Bb` is weak, not harmless);
/// other secret-named attributes (tokens, keys) need a random-looking value, because theirs are
/// generated, never typed. Placeholders, references and settings are never secrets.
fn classify(name: &str, text: &str, plan: bool) -> Option<String> {
    if let Some(detector) = detect(text) {
        return Some(format!("matches the {} detector", detector.to_lowercase()));
    }
    if plan || !is_secret_name(name) || names_a_setting(name) {
        return None;
    }
    let t = text.trim();
    let reference = t.starts_with("arn:")
        || t.starts_with('/')
        || t.starts_with("projects/")
        || t.contains("${")
        || t.contains("{{")
        || t.contains(char::is_whitespace);
    if reference || is_placeholder(t, name) || looks_like_an_identifier(t) {
        return None;
    }
    if is_password_name(name) && t.chars().count() >= MIN_PASSWORD_LEN {
        return Some("a literal password in a password attribute".to_string());
    }
    // Generated tokens and keys mix in digits or case; a run of lowercase letters is a word
    // (`stagingonly`), however varied its letters.
    let word = t.chars().all(|c| c.is_ascii_lowercase());
    if word || t.chars().count() < 8 || entropy(t) < 3.0 {
        return None;
    }
    Some("a high-entropy literal in a secret-named attribute".to_string())
}

/// A JSON object or array built from more than one written value (a literal passed through one
/// module call has two origins: the literal and the argument).
fn is_composed_document(leaf: ValueRef<'_>, text: &str) -> bool {
    let t = text.trim_start();
    (t.starts_with('{') || t.starts_with('[')) && leaf.origins().len() > 2
}

/// Shorter literals in a password attribute are test stubs (`test`, `pw`), not passwords.
const MIN_PASSWORD_LEN: usize = 6;

/// Attributes a person types a password into (not tokens and keys, which are generated).
fn is_password_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["password", "passwd", "passphrase"]
        .iter()
        .any(|w| n.contains(w))
}

/// Secret-named attributes that hold a setting about the secret, not the secret
/// (`customer_master_key_spec = "ECC_NIST_P256"`, `access_key_status = "Inactive"`).
fn names_a_setting(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "_spec",
        "_status",
        "_basis",
        "_usage",
        "_algorithm",
        "_mode",
        "_format",
        "_amount",
        "_percents",
        "_topic",
    ]
    .iter()
    .any(|suffix| n.ends_with(suffix))
}

/// Values that name things rather than hide them: `ECC_NIST_P256`, `FORECASTED_SPEND`,
/// `notification.internal`, a version number.
fn looks_like_an_identifier(t: &str) -> bool {
    let constant = t.contains('_')
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && t.starts_with(|c: char| c.is_ascii_uppercase());
    let host = t.contains('.')
        && t.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        && t.chars().any(|c| c.is_ascii_lowercase());
    constant || host
}

/// Values people write to say "not a real secret": placeholder vocabulary (`CHANGE_ME`,
/// `<password>`), or the attribute's or variable's own name (`client_secret = "client_secret"`).
fn is_placeholder(text: &str, name: &str) -> bool {
    let t = text.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "not_a_secret",
        "not-a-secret",
        "notasecret",
        "changeme",
        "change_me",
        "change-me",
        "placeholder",
        "replace_me",
        "replaceme",
        "dummy",
        "example",
        "your_",
        "your-",
        "xxxxxx",
        "<",
        "todo",
        "fixme",
        "redacted",
        "secret_here",
        "password_here",
        "token_here",
        "set_by",
        "set-by",
        "overridden",
        "override_me",
    ];
    if WORDS.iter().any(|w| t.contains(w)) {
        return true;
    }
    // The same letters and digits as the name: `client_secret`, `CLIENT-SECRET`, `clientSecret`.
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (value, name) = (letters(text), letters(name));
    !value.is_empty() && (value == name || (value.len() >= 6 && name.ends_with(&value)))
}

/// The last attribute name on a path (list indexes skipped).
fn attribute_name(path: &[String]) -> &str {
    path.iter()
        .rev()
        .find(|p| !p.chars().all(|c| c.is_ascii_digit()))
        .map(String::as_str)
        .unwrap_or("")
}

/// Called with the path, the leaf, its text and whether a sensitive mark covers it.
type LeafVisitor<'f, 'a> = dyn FnMut(&[String], ValueRef<'a>, &'a str, bool) + 'f;

/// Visits string leaves with their path and whether they sit under a sensitive mark.
fn walk<'a>(
    value: ValueRef<'a>,
    inherited: bool,
    path: &mut Vec<String>,
    f: &mut LeafVisitor<'_, 'a>,
) {
    let sensitive = inherited || value.is_marked_sensitive();
    match value.kind() {
        ValueKind::String(s) => f(path, value, s, sensitive),
        ValueKind::List(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(item, sensitive, path, f);
                path.pop();
            }
        }
        ValueKind::Object(map) => {
            for (k, item) in map {
                path.push(k.to_string());
                walk(item, sensitive, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

struct Hit<'a> {
    path: String,
    value: ValueRef<'a>,
    reason: String,
}

/// The secrets in one value. `plan`: only detector matches outside sensitive marks; source: only
/// values written in a file (they carry an origin).
fn hits<'a>(value: ValueRef<'a>, root_name: &str, plan: bool) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    walk(
        value,
        false,
        &mut Vec::new(),
        &mut |path, leaf, text, sensitive| {
            if plan && sensitive {
                return;
            }
            if !plan && leaf.origins().is_empty() {
                return;
            }
            // A JSON document put together from several values (`jsonencode({ username = ..,
            // password = .. })`): each part is checked where it is written; the document as a
            // whole would point at whichever part came first (a user name).
            if !plan && is_composed_document(leaf, text) {
                return;
            }
            let name = match attribute_name(path) {
                "" => root_name,
                n => n,
            };
            if let Some(reason) = classify(name, text, plan) {
                let mut joined = String::new();
                for step in path {
                    if step.chars().all(|c| c.is_ascii_digit()) {
                        joined.push_str(&format!("[{step}]"));
                    } else {
                        if !joined.is_empty() {
                            joined.push('.');
                        }
                        joined.push_str(step);
                    }
                }
                out.push(Hit {
                    path: if joined.is_empty() {
                        root_name.to_string()
                    } else {
                        joined
                    },
                    value: leaf,
                    reason,
                });
            }
        },
    );
    out
}

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let plan = model.input() == Some(InputKind::Plan);
    // One finding per place a person edits: a tfvars secret used by three resources is one.
    let mut seen: HashSet<(String, usize)> = HashSet::new();
    let mut first_time = |value: ValueRef<'_>, fallback: String| match value.primary_origin() {
        Some(o) => seen.insert((o.file.to_string(), o.start as usize)),
        None => seen.insert((fallback, 0)),
    };
    for resource in model.resources() {
        if !resource.will_exist() && resource.mode() == crate::Mode::Managed {
            continue;
        }
        for hit in hits(resource.values(), "", plan) {
            if first_time(hit.value, format!("{}.{}", resource.address(), hit.path)) {
                report(ctx, resource, &hit);
            }
        }
    }
    if plan {
        // A plan's variables are what was passed at plan time, not what is written in code.
        return;
    }
    for provider in model.providers() {
        let mut address = format!("provider.{}", provider.name);
        if let Some(alias) = &provider.alias {
            address = format!("{address}.{alias}");
        }
        if !provider.module.is_empty() {
            address = format!("{}.{address}", provider.module);
        }
        for hit in hits(provider.values(), "", false) {
            if first_time(hit.value, format!("{address}.{}", hit.path)) {
                let finding = ctx.report_global(
                    Some(address.clone()),
                    format!(
                        "hardcoded secret in `{address}` `{}`: {}",
                        hit.path, hit.reason
                    ),
                );
                if finding.location.is_none() {
                    finding.location = provider.location.clone();
                }
                finding.at(hit.value);
            }
        }
    }
    for variable in model.variables() {
        let address = if variable.module.is_empty() {
            format!("var.{}", variable.name)
        } else {
            format!("{}.var.{}", variable.module, variable.name)
        };
        for hit in hits(variable.value(), &variable.name, false) {
            if first_time(hit.value, format!("{address}.{}", hit.path)) {
                let path = if hit.path == variable.name {
                    address.clone()
                } else {
                    format!("{address}.{}", hit.path)
                };
                ctx.report_global(
                    Some(address.clone()),
                    format!("hardcoded secret in `{path}`: {}", hit.reason),
                )
                .at(hit.value);
            }
        }
    }
}

fn report(ctx: &mut Context<'_>, resource: &Resource, hit: &Hit<'_>) {
    ctx.report_at(
        resource,
        hit.value,
        format!("hardcoded secret in `{}`: {}", hit.path, hit.reason),
    );
}

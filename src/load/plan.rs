//! Reads `terraform show -json` plans into the model.
//!
//! The file is parsed once into typed structs; the change values (`before`, `after`, their masks)
//! stay borrowed raw JSON and are decoded per resource, in parallel. Values are decoded together
//! with their masks: `after_unknown` turns leaves into unknown values, and the sensitive masks mark
//! them. A missing or mismatched mask marks the value sensitive (fail closed).
//!
//! Only `resource_changes`, `resource_drift`, `output_changes`, `checks` and a few top-level facts
//! become part of the model. `variables` and `configuration` are read only to learn which root
//! variables are sensitive, so their values can be scrubbed from every output; they are never
//! rendered. `planned_values`, `prior_state` and `generated_config` are never read.

use crate::error::InputError;
use crate::load::hcl::redact_source_url;
use guard_policies::model::{
    Action, ActionList, Actions, Change, ChangeDetails, CheckResult, Importing, InputKind, Mode,
    Model, ModelParts, ModuleCall, Output, PlanFacts, Reference, Resource, ResourceNames, Side,
    Variable,
};
use guard_policies::secret_prints::{add_prints, SecretPrint};
use guard_policies::{Builder, Root, Stored, Sym};
use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A plan read from a file, with what the summary and the tripwire need besides the model.
/// `Debug` shows the model's name, not its values.
pub struct LoadedPlan {
    pub model: Model,
    /// Strings that must never appear in any output, as fingerprints: values of sensitive root
    /// variables, and every string leaf marked sensitive in the plan.
    pub secrets: crate::redact::SecretSet,
}

impl std::fmt::Debug for LoadedPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedPlan")
            .field("model", self.model.name())
            .field("resources", &self.model.resources().len())
            .field("secrets", &self.secrets)
            .finish()
    }
}

/// A plan's top level. `E` is how a resource change reads: its text set aside (`&RawValue`),
/// so that the changes are read in parallel, or [`RawResourceChange`], which reads the whole
/// file in one serial pass and serves only to tell where the file is wrong.
#[derive(Deserialize)]
struct RawPlan<'a, E> {
    format_version: Option<String>,
    terraform_version: Option<String>,
    #[serde(default = "Option::default")]
    resource_changes: Option<Vec<E>>,
    #[serde(default = "Vec::new")]
    resource_drift: Vec<E>,
    #[serde(borrow, default)]
    output_changes: BTreeMap<String, RawChange<'a>>,
    #[serde(default)]
    errored: bool,
    complete: Option<bool>,
    #[serde(default)]
    checks: Vec<RawCheck>,
    #[serde(borrow, default)]
    variables: BTreeMap<String, RawVariable<'a>>,
    #[serde(default)]
    configuration: Option<RawConfiguration>,
    planned_values: Option<IgnoredAny>,
    prior_state: Option<IgnoredAny>,
    values: Option<IgnoredAny>,
    #[serde(default)]
    deferred_changes: Option<Vec<IgnoredAny>>,
}

#[derive(Deserialize)]
struct RawVariable<'a> {
    #[serde(borrow)]
    value: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct RawConfiguration {
    #[serde(default)]
    root_module: RawConfigModule,
}

#[derive(Deserialize, Default)]
struct RawConfigModule {
    #[serde(default)]
    variables: BTreeMap<String, RawConfigVariable>,
    #[serde(default)]
    outputs: BTreeMap<String, RawConfigOutput>,
    #[serde(default)]
    resources: Vec<RawConfigResource>,
    #[serde(default)]
    module_calls: BTreeMap<String, RawModuleCall>,
}

#[derive(Deserialize, Default)]
struct RawModuleCall {
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    version_constraint: Option<String>,
    /// The called module's own configuration, with its nested calls.
    #[serde(default)]
    module: RawConfigModule,
}

/// The configuration's module calls, nested ones included, with credentials taken out of the
/// source addresses.
fn module_calls(config: &RawConfigModule, parent: &str, out: &mut Vec<ModuleCall>) {
    for (call_name, call) in &config.module_calls {
        let address = if parent.is_empty() {
            format!("module.{call_name}")
        } else {
            format!("{parent}.module.{call_name}")
        };
        out.push(ModuleCall {
            address: address.clone(),
            source: call.source.as_deref().map(redact_source_url),
            version: call.version_constraint.clone(),
            location: None,
            input: InputKind::Plan,
        });
        module_calls(&call.module, &address, out);
    }
}

/// A resource block of `configuration`: read only for the resources its arguments refer to.
#[derive(Deserialize, Default)]
struct RawConfigResource {
    #[serde(default)]
    address: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    expressions: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    for_each_expression: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct RawConfigVariable {
    #[serde(default)]
    sensitive: bool,
}

#[derive(Deserialize, Default)]
struct RawConfigOutput {
    #[serde(default)]
    sensitive: bool,
}

#[derive(Deserialize)]
struct RawResourceChange<'a> {
    /// Early Terraform 1.0 releases wrote `resource_drift` entries without an address.
    #[serde(borrow, default)]
    address: Option<Text<'a>>,
    #[serde(default)]
    index: Option<serde_json::Value>,
    #[serde(borrow, default)]
    module_address: Option<Text<'a>>,
    #[serde(borrow, default)]
    mode: Option<Text<'a>>,
    #[serde(borrow, rename = "type")]
    resource_type: Text<'a>,
    #[serde(borrow)]
    name: Text<'a>,
    #[serde(borrow)]
    change: RawChange<'a>,
    #[serde(default)]
    action_reason: Option<String>,
    #[serde(default)]
    previous_address: Option<String>,
    #[serde(default)]
    deposed: Option<String>,
}

#[derive(Deserialize)]
struct RawChange<'a> {
    #[serde(borrow)]
    actions: Vec<Text<'a>>,
    #[serde(borrow, default)]
    before: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after_unknown: Option<&'a RawValue>,
    #[serde(borrow, default)]
    before_sensitive: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after_sensitive: Option<&'a RawValue>,
    #[serde(default)]
    replace_paths: Vec<Vec<serde_json::Value>>,
    #[serde(default)]
    importing: Option<RawImporting>,
}

/// A JSON string, borrowed from the file when it has no escapes: a big plan has a million of
/// names and actions, each of which would otherwise be allocated and freed.
struct Text<'a>(std::borrow::Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text<'a>, D::Error> {
        d.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    // As `String` says it: error messages stay the same.
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(std::borrow::Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
        Ok(Text(std::borrow::Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
        Ok(Text(std::borrow::Cow::Owned(v)))
    }
}

#[derive(Deserialize)]
struct RawImporting {
    #[serde(default)]
    id: Option<String>,
}

#[derive(Deserialize)]
struct RawCheck {
    #[serde(default)]
    address: Option<RawCheckAddress>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    instances: Vec<RawCheckInstance>,
}

#[derive(Deserialize)]
struct RawCheckAddress {
    #[serde(default)]
    to_display: String,
}

#[derive(Deserialize)]
struct RawCheckInstance {
    #[serde(default)]
    address: Option<RawCheckAddress>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    problems: Vec<RawProblem>,
}

#[derive(Deserialize)]
struct RawProblem {
    #[serde(default)]
    message: String,
}

/// Reads and models a plan file's bytes. `name` is the path shown in messages.
pub fn load_plan(name: &str, bytes: &[u8]) -> Result<LoadedPlan, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // The value store addresses its text with 32-bit offsets: refuse clearly, never panic.
    if u32::try_from(bytes.len()).is_err() {
        return Err(InputError::new(
            name,
            "plan is larger than 4 GiB: guard reads plans up to 4 GiB (split the configuration, or check its modules separately)",
        ));
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => return Err(InputError::new(name, "empty file: expected a `terraform show -json` plan")),
        Some(b'{') => {}
        Some(_) => {
            return Err(InputError::new(
                name,
                "not a terraform plan: expected a JSON object (the output of `terraform show -json PLANFILE`)",
            ))
        }
    }
    // The depth check and the top-level reading each scan the whole file on one core: run them
    // side by side. The reading keeps serde_json's recursion limit (128 levels), so it cannot
    // overflow the stack before the depth check has answered; a plan it refuses is read again
    // after the check, without the limit, exactly as it was read before.
    let (depth, top_level) =
        rayon::join(|| check_depth(name, bytes), || read_top_level(bytes, true));
    depth?;
    let raw = match top_level {
        Ok(raw) => raw,
        Err(_) => read_top_level(bytes, false).map_err(|_| parse_error(name, bytes))?,
    };

    check_shape(name, &raw)?;

    let facts = PlanFacts {
        format_version: raw.format_version.clone().unwrap_or_default(),
        terraform_version: raw.terraform_version.clone(),
        errored: raw.errored,
        complete: raw.complete.unwrap_or(true),
        failed_checks: failed_checks(&raw.checks),
        deferred: raw.deferred_changes.as_ref().map_or(0, Vec::len),
    };

    let mut secrets = Vec::new();
    // Each change is read and decoded on its own, in parallel. A change that does not read is
    // reported as the serial reading of the whole file reports it (the first error in the file,
    // with its line), before any error of decoding.
    // Resources go straight into the vector the model keeps (a resource is several hundred
    // bytes: 230k of them are not copied from one vector into another); what else each decoding
    // gives (its secrets, or why it failed) goes into a second, small vector.
    let decode = |list: &[&RawValue]| -> (Vec<Option<Resource>>, Vec<Outcome>) {
        list.par_iter()
            .map_init(Builder::new, |builder, text| {
                let mut deserializer = serde_json::Deserializer::from_str(text.get());
                deserializer.disable_recursion_limit();
                let Ok(rc) = RawResourceChange::deserialize(&mut deserializer) else {
                    return (None, Err(Box::new(Failure::Unreadable)));
                };
                match to_resource(name, rc, builder) {
                    Ok((resource, found)) => (Some(resource), Ok(found)),
                    Err(e) => (None, Err(Box::new(Failure::Input(e)))),
                }
            })
            .unzip()
    };
    let (resources, resource_outcomes) =
        decode(raw.resource_changes.as_deref().unwrap_or_default());
    let (drift, drift_outcomes) = decode(&raw.resource_drift);
    let outcomes = || resource_outcomes.iter().chain(&drift_outcomes);
    if outcomes().any(|o| matches!(o, Err(failure) if matches!(**failure, Failure::Unreadable))) {
        return Err(parse_error(name, bytes));
    }
    for outcome in outcomes() {
        match outcome {
            Ok(found) => secrets.extend_from_slice(found),
            Err(failure) => {
                if let Failure::Input(e) = &**failure {
                    return Err(e.clone());
                }
            }
        }
    }
    drop((resource_outcomes, drift_outcomes));
    // Every resource decoded: the options go. `filter_map` collects in place (an `Option` of a
    // resource is as big as a resource), where `flatten` would copy 230k resources.
    #[allow(clippy::filter_map_identity)]
    let mut resources: Vec<Resource> = resources.into_iter().filter_map(|r| r).collect();
    #[allow(clippy::filter_map_identity)]
    let drift: Vec<Resource> = drift.into_iter().filter_map(|r| r).collect();

    let config = raw.configuration.unwrap_or_default().root_module;
    attach_references(&config, &mut resources);
    attach_written_arguments(&config, &mut resources);
    let mut outputs = Vec::new();
    for (output_name, change) in &raw.output_changes {
        let mut builder = Builder::new();
        let (decoded, before, after) = decode_change(
            name,
            &format!("output.{output_name}"),
            change,
            &mut builder,
            &mut secrets,
        )?;
        let declared = config.outputs.get(output_name).map(|o| o.sensitive);
        let root = if decoded.actions.is_delete() {
            before
        } else {
            after
        };
        let value = Stored::from_builder(builder, root);
        outputs.push(Output::new(
            output_name.clone(),
            String::new(),
            value,
            declared,
            None,
            InputKind::Plan,
        ));
    }

    // Sensitive root variables: read only to scrub their values from every output.
    let mut variables = Vec::new();
    for (var_name, var) in &raw.variables {
        let sensitive = config.variables.get(var_name).is_some_and(|v| v.sensitive);
        if !sensitive {
            continue;
        }
        // Every string of a sensitive variable is a secret, whatever its shape.
        let mut builder = Builder::new();
        let mut decoder = Decoder {
            builder: &mut builder,
            secrets: &mut secrets,
            collect: true,
        };
        match var.value {
            Some(raw_value) => decoder.decode(name, raw_value, None, Sens::All)?,
            None => decoder.null(None, Sens::All),
        }
        let root = builder.root();
        let value = Stored::from_builder(builder, root);
        variables.push(Variable::new(
            var_name.clone(),
            String::new(),
            value,
            true,
            None,
        ));
    }
    secrets.sort();
    secrets.dedup();
    let mut calls = Vec::new();
    module_calls(&config, "", &mut calls);

    Ok(LoadedPlan {
        model: Model::from(ModelParts {
            name: Arc::from(name),
            input: Some(InputKind::Plan),
            resources,
            drift,
            outputs,
            variables,
            providers: Vec::new(),
            module_calls: calls,
            plan: Some(facts),
            not_downloaded: Vec::new(),
        }),
        secrets: crate::redact::SecretSet::from_prints(secrets),
    })
}

/// What decoding one resource change gives besides the resource: its secrets, or why it failed.
type Outcome = Result<Vec<SecretPrint>, Box<Failure>>;

/// Why a resource change could not be decoded.
enum Failure {
    /// Its JSON does not read as a resource change: [`parse_error`] says where.
    Unreadable,
    Input(InputError),
}

/// The error of reading the whole file serially into typed changes: the first place where the
/// file is not a plan, with its line and column.
/// The plan's top level, each change kept as its raw text. `limited`: with serde_json's recursion
/// limit, for a file whose depth is not yet checked.
fn read_top_level(bytes: &[u8], limited: bool) -> serde_json::Result<RawPlan<'_, &RawValue>> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    if !limited {
        deserializer.disable_recursion_limit();
    }
    RawPlan::<&RawValue>::deserialize(&mut deserializer)
        .and_then(|plan| deserializer.end().map(|_| plan))
}

fn parse_error(name: &str, bytes: &[u8]) -> InputError {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    deserializer.disable_recursion_limit();
    let error = match RawPlan::<RawResourceChange<'_>>::deserialize(&mut deserializer)
        .and_then(|_| deserializer.end())
    {
        Err(e) => json_error(name, &e),
        // Read in parts the plan failed, read whole it reads: never expected, still an error.
        Ok(()) => InputError::new(name, "invalid plan JSON: a resource change does not read"),
    };
    error.with_source(
        &String::from_utf8_lossy(bytes),
        crate::error::SourceKind::Json,
        "write the plan with `terraform show -json PLANFILE > plan.json` (not `terraform plan -json`, which streams log lines)",
    )
}

/// How deeply a plan's JSON may nest. Terraform's values nest a few dozen levels at most; every
/// reader of a value (the decoder, the policies, dropping it) recurses, so a deeper file would
/// overflow the stack instead of getting an error.
pub const MAX_DEPTH: usize = 512;

/// Refuses JSON nested deeper than [`MAX_DEPTH`], before anything recurses into it.
fn check_depth(name: &str, bytes: &[u8]) -> Result<(), InputError> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => match crate::load::shape::closing_quote(bytes, i) {
                Some(close) => i = close,
                // A string that never closes: the JSON reader says where.
                None => return Ok(()),
            },
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let before = &bytes[..i];
                    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
                    let line_start = before
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .map_or(0, |p| p + 1);
                    let column = String::from_utf8_lossy(&bytes[line_start..i])
                        .chars()
                        .count()
                        + 1;
                    return Err(InputError::new(
                        name,
                        format!("invalid plan JSON: nested deeper than {MAX_DEPTH} levels"),
                    )
                    .at(line, column));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn json_error(name: &str, e: &serde_json::Error) -> InputError {
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => &message,
    };
    // `terragrunt run-all show -json` prints one plan per unit, one after another.
    let hint = if message == "trailing characters" {
        " (more than one JSON document: `terragrunt run-all show -json` prints one plan per unit; write each to its own file, e.g. with `--json-out-dir`, and give guard the directory)"
    } else {
        ""
    };
    InputError::new(
        name,
        format!("invalid plan JSON: {}{hint}", without_content(message)),
    )
    .at(e.line(), e.column())
}

/// A serde_json message without the content it quotes: `invalid type: string "hunter2",
/// expected a boolean` quotes the value it found, which may be a secret. Only the kind of what was
/// found and what was expected remain. Messages that quote nothing (syntax errors, `missing field
/// `type``, which names a field of the schema) are kept as they are.
fn without_content(message: &str) -> String {
    for prefix in [
        "invalid type: ",
        "invalid value: ",
        "unknown variant ",
        "unknown field ",
    ] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        // The kind of what was found: the words before the first quote or backtick.
        let kind_end = rest.find(['"', '`', ',']).unwrap_or(rest.len());
        let kind = rest[..kind_end].trim();
        // What was expected follows the found value, which may itself contain ", expected ".
        let expected = rest.rfind(", expected ").map(|i| &rest[i..]).unwrap_or("");
        // An expectation that quotes names (`one of `a`, `b``) comes from the schema; but the
        // found value ends before it, so only what follows the last ", expected " is kept.
        let head = prefix.trim_end();
        return if kind.is_empty() {
            format!("{head}{expected}")
        } else {
            format!("{head} {kind}{expected}")
        };
    }
    message.to_string()
}

fn check_shape<E>(name: &str, raw: &RawPlan<'_, E>) -> Result<(), InputError> {
    let has_plan_shape = raw.resource_changes.is_some() || raw.planned_values.is_some();
    if !has_plan_shape {
        let hint = if raw.values.is_some() || raw.prior_state.is_some() {
            "this looks like a state (`terraform show -json` without a plan file), not a plan"
        } else {
            "no `resource_changes` or `planned_values`: expected the output of `terraform show -json PLANFILE`"
        };
        return Err(InputError::new(
            name,
            format!("not a terraform plan: {hint}"),
        ));
    }
    if let Some(version) = &raw.format_version {
        let mut parts = version.split('.');
        let major = parts.next().and_then(|p| p.parse::<u64>().ok());
        let minor = parts.next().and_then(|p| p.parse::<u64>().ok());
        let supported = matches!((major, minor), (Some(0), Some(m)) if m >= 1) || major == Some(1);
        if !supported {
            // The version is shown only when it looks like one.
            let looks_like_a_version =
                version.len() <= 16 && version.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            let shown = if looks_like_a_version {
                format!(" `{version}`")
            } else {
                String::new()
            };
            return Err(InputError::new(
                name,
                format!("unsupported plan format_version{shown}: guard reads 0.1 to 1.x"),
            ));
        }
    }
    Ok(())
}

fn failed_checks(checks: &[RawCheck]) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for check in checks {
        if check.status != "fail" && check.status != "error" {
            continue;
        }
        let address = check
            .address
            .as_ref()
            .map(|a| a.to_display.clone())
            .unwrap_or_default();
        let mut problems = Vec::new();
        for instance in &check.instances {
            for problem in &instance.problems {
                problems.push(problem.message.clone());
            }
            if instance.problems.is_empty()
                && (instance.status == "fail" || instance.status == "error")
            {
                if let Some(a) = &instance.address {
                    problems.push(format!("`{}` {}", a.to_display, instance.status));
                }
            }
        }
        out.push(CheckResult {
            address,
            status: check.status.clone(),
            problems,
        });
    }
    out
}

fn parse_actions(name: &str, address: &str, actions: &[Text<'_>]) -> Result<Actions, InputError> {
    actions
        .iter()
        .map(|a| {
            Action::parse(a).ok_or_else(|| {
                // The action is shown only when it looks like one (a newer Terraform's word).
                let looks_like_an_action = a.len() <= 16
                    && a.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_');
                let shown = if looks_like_an_action {
                    format!(" `{}`", &**a)
                } else {
                    String::new()
                };
                InputError::new(name, format!("unknown action{shown} on `{address}`"))
            })
        })
        .collect::<Result<ActionList, _>>()
        .map(Actions)
}

/// Decodes both sides of a change into `builder`, with their masks; returns the change (its
/// sides are roots in the builder's store) and the two roots.
fn decode_change(
    name: &str,
    address: &str,
    raw: &RawChange<'_>,
    builder: &mut Builder,
    secrets: &mut Vec<SecretPrint>,
) -> Result<(Change, Root, Root), InputError> {
    let actions = parse_actions(name, address, &raw.actions)?;
    let before = decode_side(
        name,
        builder,
        secrets,
        raw.before,
        None,
        raw.before_sensitive,
    )?;
    let after = decode_side(
        name,
        builder,
        secrets,
        raw.after,
        raw.after_unknown,
        raw.after_sensitive,
    )?;
    let replace_paths = raw
        .replace_paths
        .iter()
        .map(|path| {
            path.iter()
                .map(|step| match step {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let mut change = Change::from_roots(actions, before, after);
    change.set_details(ChangeDetails {
        replace_paths,
        importing: raw
            .importing
            .as_ref()
            .map(|i| Importing { id: i.id.clone() }),
        ..ChangeDetails::default()
    });
    Ok((change, before, after))
}

/// The address Terraform would write for an entry that lacks one.
fn derived_address(rc: &RawResourceChange<'_>) -> String {
    let mut address = String::new();
    if let Some(module) = rc.module_address.as_deref().filter(|m| !m.is_empty()) {
        address.push_str(module);
        address.push('.');
    }
    if rc.mode.as_deref() == Some("data") {
        address.push_str("data.");
    }
    address.push_str(&rc.resource_type);
    address.push('.');
    address.push_str(&rc.name);
    match &rc.index {
        Some(serde_json::Value::Number(n)) => address.push_str(&format!("[{n}]")),
        Some(serde_json::Value::String(s)) => {
            address.push_str(&format!("[{}]", serde_json::Value::String(s.clone())))
        }
        _ => {}
    }
    address
}

fn to_resource(
    name: &str,
    mut rc: RawResourceChange<'_>,
    builder: &mut Builder,
) -> Result<(Resource, Vec<SecretPrint>), InputError> {
    let mut secrets = Vec::new();
    let address = match rc.address.take() {
        Some(address) => address.0.into_owned(),
        None => derived_address(&rc),
    };
    let decoded = decode_change(name, &address, &rc.change, builder, &mut secrets);
    // Whatever happened, the next resource starts from an empty builder.
    let store = builder.take();
    let (mut change, before, after) = decoded?;
    let mut details = change.take_details();
    details.action_reason = rc.action_reason;
    details.previous_address = rc.previous_address;
    details.deposed = rc.deposed;
    change.set_details(details);
    // Policies read what will exist; for a deletion, what is being deleted. Both sides stay in
    // the resource's store, each once.
    let values = match change.values_side() {
        Side::Before => before,
        Side::After => after,
    };
    // Without instance keys the config address is the address itself.
    let config_address = address.contains('[').then(|| strip_instance_keys(&address));
    let names = ResourceNames {
        mode: if rc.mode.as_deref() == Some("data") {
            Mode::Data
        } else {
            Mode::Managed
        },
        resource_type: &rc.resource_type,
        name: &rc.name,
        module: rc.module_address.as_deref().unwrap_or_default(),
        config_address: config_address.as_deref(),
        input: InputKind::Plan,
        address,
    };
    Ok((
        Resource::from_decoded(names, change, store, values),
        secrets,
    ))
}

/// Fills in `Resource::references` from the `references` of `configuration`'s expressions.
///
/// Terraform lists a reference with its index only when the index is a literal
/// (`aws_lb.x["a"]`); for `aws_lb.x[each.key]` it lists `aws_lb.x`. Such a reference is paired
/// with the instance of the same key when the referred block has one, which is what
/// `for_each` over the same keys (or over the referred resource itself) produces.
fn attach_references(config: &RawConfigModule, resources: &mut [Resource]) {
    let mut by_block: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    collect_config_references(config, "", &mut by_block);
    if by_block.is_empty() {
        return;
    }
    let addresses: std::collections::HashSet<String> =
        resources.iter().map(|r| r.address().to_string()).collect();
    for resource in resources.iter_mut() {
        let Some(refs) = by_block.get(resource.config_address()) else {
            continue;
        };
        let own_key = resource
            .address()
            .strip_prefix(resource.module())
            .and_then(|rest| rest.find('[').map(|i| rest[i..].to_string()));
        let prefix = if resource.module().is_empty() {
            String::new()
        } else {
            format!("{}.", resource.module())
        };
        for (attribute, target) in refs {
            // `target` is relative to the module: `aws_lb.x` or `aws_lb.x["a"]`.
            let block_relative = strip_instance_keys(target);
            let block = if resource.module().is_empty() {
                block_relative.clone()
            } else {
                format!(
                    "{}.{block_relative}",
                    strip_instance_keys(resource.module())
                )
            };
            let instance = if target.contains('[') {
                Some(format!("{prefix}{target}"))
            } else {
                let unkeyed = format!("{prefix}{target}");
                match &own_key {
                    _ if addresses.contains(&unkeyed) => Some(unkeyed),
                    Some(key) if addresses.contains(&format!("{unkeyed}{key}")) => {
                        Some(format!("{unkeyed}{key}"))
                    }
                    _ => None,
                }
            };
            let reference = Reference {
                attribute: attribute.clone(),
                block,
                instance,
            };
            if !resource.references().contains(&reference) {
                resource.push_reference(reference);
            }
        }
    }
}

/// Fills in `Resource::written_arguments` from the argument names of `configuration`'s
/// expressions, for the resources whose block the configuration holds.
fn attach_written_arguments(config: &RawConfigModule, resources: &mut [Resource]) {
    fn collect(
        module: &RawConfigModule,
        prefix: &str,
        out: &mut BTreeMap<String, std::collections::BTreeSet<String>>,
    ) {
        for r in module.resources.iter().filter(|r| r.mode != "data") {
            out.entry(format!("{prefix}{}", r.address))
                .or_default()
                .extend(r.expressions.keys().cloned());
        }
        for (name, call) in &module.module_calls {
            collect(&call.module, &format!("{prefix}module.{name}."), out);
        }
    }
    let mut by_block = BTreeMap::new();
    collect(config, "", &mut by_block);
    for resource in resources.iter_mut() {
        if let Some(written) = by_block.get(resource.config_address()) {
            resource.set_written_arguments(written.clone());
        }
    }
}

/// Per resource block (`module.a.aws_x.y`): `(argument, referred resource relative to its module)`.
fn collect_config_references(
    module: &RawConfigModule,
    prefix: &str,
    out: &mut BTreeMap<String, Vec<(String, String)>>,
) {
    let managed: std::collections::HashSet<&str> = module
        .resources
        .iter()
        .filter(|r| r.mode != "data")
        .map(|r| r.address.as_str())
        .collect();
    for r in module.resources.iter().filter(|r| r.mode != "data") {
        let mut found = Vec::new();
        let for_each: Vec<String> = r
            .for_each_expression
            .as_ref()
            .map(|e| expression_references(e, &managed))
            .unwrap_or_default();
        expressions_references(&r.expressions, "", &managed, &for_each, &mut found);
        if !found.is_empty() {
            out.entry(format!("{prefix}{}", r.address))
                .or_default()
                .extend(found);
        }
    }
    for (name, call) in &module.module_calls {
        collect_config_references(&call.module, &format!("{prefix}module.{name}."), out);
    }
}

fn expressions_references(
    expressions: &BTreeMap<String, serde_json::Value>,
    path: &str,
    managed: &std::collections::HashSet<&str>,
    for_each: &[String],
    out: &mut Vec<(String, String)>,
) {
    for (name, expression) in expressions {
        let attribute = format!("{path}{name}");
        match expression {
            serde_json::Value::Object(map) if map.contains_key("references") => {
                for target in expression_references(expression, managed) {
                    out.push((attribute.clone(), target));
                }
                // `each.value.arn` with `for_each = aws_lb.x`: the instance of the same key.
                let uses_each = map
                    .get("references")
                    .and_then(|r| r.as_array())
                    .is_some_and(|r| r.iter().any(|x| x.as_str() == Some("each.value")));
                if uses_each {
                    out.extend(for_each.iter().map(|t| (attribute.clone(), t.clone())));
                }
            }
            serde_json::Value::Array(blocks) => {
                for block in blocks {
                    if let serde_json::Value::Object(inner) = block {
                        let inner: BTreeMap<String, serde_json::Value> =
                            inner.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                        expressions_references(
                            &inner,
                            &format!("{attribute}."),
                            managed,
                            for_each,
                            out,
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// The managed resources of the same module that one expression's `references` name, each
/// once, with the index when Terraform wrote one (`aws_lb.x["a"]`).
fn expression_references(
    expression: &serde_json::Value,
    managed: &std::collections::HashSet<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let list = expression
        .get("references")
        .and_then(|r| r.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    for reference in list.iter().filter_map(|r| r.as_str()) {
        let mut parts = reference.splitn(3, '.');
        let (Some(ty), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        let bare = name.split('[').next().unwrap_or(name);
        if !managed.contains(format!("{ty}.{bare}").as_str()) {
            continue;
        }
        let target = format!("{ty}.{name}");
        // `aws_lb.x["a"]` makes the plain `aws_lb.x` Terraform also lists redundant.
        if out
            .iter()
            .any(|o| *o == target || o.starts_with(&format!("{target}[")))
        {
            continue;
        }
        out.retain(|o| !target.starts_with(&format!("{o}[")));
        out.push(target);
    }
    out
}

pub use crate::address::strip_instance_keys;

fn decode_mask(name: &str, raw: &RawValue) -> Result<Mask, InputError> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    deserializer.disable_recursion_limit();
    Mask::deserialize(&mut deserializer).map_err(|e| json_error(name, &e))
}

/// A mask (`after_unknown`, `before_sensitive`, `after_sensitive`) as it reads: no
/// `serde_json::Value` tree with a `String` per key, but interned keys in one sorted `Vec`.
#[derive(Debug)]
enum Mask {
    Bool(bool),
    /// Members sorted by name; of a repeated name the last is kept, as a JSON object reads.
    Object(Vec<(Sym, Mask)>),
    Array(Vec<Mask>),
    /// A number, a string or null: not a mask Terraform writes.
    Other,
}

impl Mask {
    fn member(&self, key: Sym) -> Option<&Mask> {
        let Mask::Object(members) = self else {
            return None;
        };
        let name = key.as_str();
        members
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| &members[i].1)
    }
    fn is_empty_container(&self) -> bool {
        match self {
            Mask::Object(members) => members.is_empty(),
            Mask::Array(items) => items.is_empty(),
            _ => false,
        }
    }
}

impl<'de> Deserialize<'de> for Mask {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Mask, D::Error> {
        d.deserialize_any(MaskVisitor)
    }
}

struct MaskVisitor;

impl<'de> Visitor<'de> for MaskVisitor {
    type Value = Mask;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mask")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Mask, E> {
        Ok(Mask::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Mask, E> {
        Ok(Mask::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Mask, E> {
        Ok(Mask::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Mask, E> {
        Ok(Mask::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Mask, E> {
        Ok(Mask::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Mask, E> {
        Ok(Mask::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Mask, E> {
        Ok(Mask::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Mask, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Mask>()? {
            items.push(item);
        }
        Ok(Mask::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Mask, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            members.push((key, map.next_value::<Mask>()?));
        }
        // Last first, so that the stable sort and `dedup` keep the last of a repeated name.
        members.reverse();
        members.sort_by(|(a, _), (b, _)| a.as_str().cmp(b.as_str()));
        members.dedup_by(|later, earlier| later.0 == earlier.0);
        Ok(Mask::Object(members))
    }
}

/// Decodes one side of a change with its unknown and sensitive masks into `builder`, collecting
/// the strings the sensitive mask marks.
fn decode_side(
    name: &str,
    builder: &mut Builder,
    secrets: &mut Vec<SecretPrint>,
    value: Option<&RawValue>,
    unknown: Option<&RawValue>,
    sensitive: Option<&RawValue>,
) -> Result<Root, InputError> {
    let unknown = unknown.map(|raw| decode_mask(name, raw)).transpose()?;
    let sensitive = sensitive.map(|raw| decode_mask(name, raw)).transpose()?;
    let (sens, collect) = match &sensitive {
        Some(mask) => (Sens::Mask(mask), true),
        // No mask at all where a value exists (plans before Terraform 0.15): cannot tell what
        // is sensitive, so nothing of it is displayed. Its strings are not scrubbed from the
        // rest of the output: they include names and regions that appear everywhere.
        None if value.is_some() || builds_container(unknown.as_ref()) => (Sens::All, false),
        None => (Sens::Clear, false),
    };
    let mut decoder = Decoder {
        builder,
        secrets,
        collect,
    };
    match value {
        Some(raw) => decoder.decode(name, raw, unknown.as_ref(), sens)?,
        None => decoder.null(unknown.as_ref(), sens),
    }
    Ok(builder.root())
}

/// Whether an `after_unknown` mask turns a null into something (an unknown, an object or a list).
fn builds_container(unknown: Option<&Mask>) -> bool {
    match unknown {
        Some(Mask::Bool(true)) => true,
        Some(mask @ (Mask::Object(_) | Mask::Array(_))) => !mask.is_empty_container(),
        _ => false,
    }
}

/// How a sensitive mask applies to a value.
#[derive(Clone, Copy)]
enum Sens<'m> {
    /// Not marked: a `false` mask, or no entry for this value.
    Clear,
    /// The value and everything inside it is sensitive.
    All,
    /// Follow the mask.
    Mask(&'m Mask),
}

/// A value's shape once `after_unknown` is applied, which decides how its mask reads.
#[derive(Clone, Copy)]
enum Shape {
    Absent,
    Scalar,
    List,
    Object,
}

impl<'m> Sens<'m> {
    /// The mask at a value of `shape`: `true` marks everything inside; a mask whose shape does
    /// not match the value marks the whole value (fail closed); an object or list mask on a null
    /// or unknown value marks nothing.
    fn at(self, shape: Shape) -> Sens<'m> {
        use Mask as J;
        match (self, shape) {
            (Sens::Mask(J::Bool(true)), _) => Sens::All,
            (Sens::Mask(J::Bool(false)), _) => Sens::Clear,
            (Sens::Mask(J::Object(_) | J::Array(_)), Shape::Absent) => Sens::Clear,
            (Sens::Mask(J::Object(_)), Shape::Object) | (Sens::Mask(J::Array(_)), Shape::List) => {
                self
            }
            (Sens::Mask(_), _) => Sens::All,
            (other, _) => other,
        }
    }
    fn marks(self) -> bool {
        matches!(self, Sens::All)
    }
    /// The mask of member `key` (after [`Sens::at`]).
    fn member(self, key: Sym) -> Sens<'m> {
        match self {
            Sens::Mask(mask @ Mask::Object(_)) => mask.member(key).map_or(Sens::Clear, Sens::Mask),
            Sens::Mask(_) => Sens::Clear,
            other => other,
        }
    }
    /// The mask of item `index` (after [`Sens::at`]).
    fn item(self, index: usize) -> Sens<'m> {
        match self {
            Sens::Mask(Mask::Array(items)) => items.get(index).map_or(Sens::Clear, Sens::Mask),
            Sens::Mask(_) => Sens::Clear,
            other => other,
        }
    }
}

/// Decodes JSON values straight into a store, applying the masks on the way: `after_unknown`
/// turns values into unknown ones and adds the unknown leaves `after` omits; the sensitive mask
/// marks values, and (when `collect`) the strings it marks are kept for the tripwire.
struct Decoder<'b> {
    builder: &'b mut Builder,
    secrets: &'b mut Vec<SecretPrint>,
    collect: bool,
}

impl Decoder<'_> {
    fn decode(
        &mut self,
        name: &str,
        raw: &RawValue,
        unknown: Option<&Mask>,
        sens: Sens<'_>,
    ) -> Result<(), InputError> {
        let mut deserializer = serde_json::Deserializer::from_str(raw.get());
        deserializer.disable_recursion_limit();
        Masked {
            decoder: self,
            unknown,
            sens,
        }
        .deserialize(&mut deserializer)
        .map_err(|e| json_error(name, &e))
    }

    /// A null value (absent from the JSON, or `null`) with its masks.
    fn null(&mut self, unknown: Option<&Mask>, sens: Sens<'_>) {
        match unknown {
            Some(Mask::Bool(true)) => self.builder.unknown(sens.at(Shape::Absent).marks()),
            Some(Mask::Object(members)) if !members.is_empty() => {
                let sens = sens.at(Shape::Object);
                let start = self.builder.start();
                for &(key, ref sub) in members {
                    self.builder.key_sym(key);
                    self.null(Some(sub), sens.member(key));
                }
                self.builder.end_object(start, sens.marks());
            }
            Some(Mask::Array(items)) if !items.is_empty() => {
                let sens = sens.at(Shape::List);
                let start = self.builder.start();
                for (i, sub) in items.iter().enumerate() {
                    self.null(Some(sub), sens.item(i));
                }
                self.builder.end_list(start, sens.marks());
            }
            _ => self.builder.null(sens.at(Shape::Absent).marks()),
        }
    }

    fn string(&mut self, value: &str, sens: Sens<'_>) {
        let marked = sens.at(Shape::Scalar).marks();
        if marked && self.collect {
            add_prints(value, self.secrets);
        }
        self.builder.string(value, marked);
    }
}

/// One JSON value to decode, with the masks that apply to it.
struct Masked<'d, 'b, 'm> {
    decoder: &'d mut Decoder<'b>,
    unknown: Option<&'m Mask>,
    sens: Sens<'m>,
}

impl Masked<'_, '_, '_> {
    /// `after_unknown` says `true`: the value is unknown, whatever the JSON holds.
    fn is_unknown(&self) -> bool {
        matches!(self.unknown, Some(Mask::Bool(true)))
    }
    fn scalar(self, push: impl FnOnce(&mut Builder, bool)) {
        if self.is_unknown() {
            self.decoder
                .builder
                .unknown(self.sens.at(Shape::Absent).marks());
        } else {
            push(self.decoder.builder, self.sens.at(Shape::Scalar).marks());
        }
    }
}

impl<'de> de::DeserializeSeed<'de> for Masked<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Masked<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(|b, marked| b.bool(v, marked));
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(|b, marked| b.number(v as f64, marked));
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(|b, marked| b.number(v as f64, marked));
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(|b, marked| b.number(v, marked));
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if self.is_unknown() {
            self.scalar(|_, _| {});
        } else {
            self.decoder.string(v, self.sens);
        }
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.decoder.null(self.unknown, self.sens);
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.is_unknown() {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            self.scalar(|_, _| {});
            return Ok(());
        }
        let sens = self.sens.at(Shape::List);
        let unknown_items = match self.unknown {
            Some(Mask::Array(items)) => Some(items),
            _ => None,
        };
        let decoder = self.decoder;
        let start = decoder.builder.start();
        let mut count = 0;
        while seq
            .next_element_seed(Masked {
                decoder: &mut *decoder,
                unknown: unknown_items.and_then(|items| items.get(count)),
                sens: sens.item(count),
            })?
            .is_some()
        {
            count += 1;
        }
        // `after` omits unknown items at the end; the mask is longer then.
        for (i, sub) in unknown_items.into_iter().flatten().enumerate().skip(count) {
            decoder.null(Some(sub), sens.item(i));
        }
        decoder.builder.end_list(start, sens.marks());
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.is_unknown() {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            self.scalar(|_, _| {});
            return Ok(());
        }
        let sens = self.sens.at(Shape::Object);
        let unknown_members = match self.unknown {
            Some(mask @ Mask::Object(_)) => Some(mask),
            _ => None,
        };
        let decoder = self.decoder;
        let start = decoder.builder.start();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            decoder.builder.key_sym(key);
            map.next_value_seed(Masked {
                decoder: &mut *decoder,
                unknown: unknown_members.and_then(|members| members.member(key)),
                sens: sens.member(key),
            })?;
        }
        // `after` omits unknown attributes; the mask names them.
        if let Some(Mask::Object(members)) = unknown_members {
            for &(key, ref sub) in members {
                if !decoder.builder.keys_since(start).contains(&key) {
                    decoder.builder.key_sym(key);
                    decoder.null(Some(sub), sens.member(key));
                }
            }
        }
        decoder.builder.end_object(start, sens.marks());
        Ok(())
    }
}

/// An object key, interned as it is read (no `String` per key).
struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Sym;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Sym, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Sym;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Sym, E> {
        Ok(Sym::intern(v))
    }
}

#[cfg(test)]
mod tests {
    //! The streaming decoder against the tree decoder it replaced, kept here as the reference.
    use super::*;
    use guard_policies::{Kind, Value};

    /// The masks as the reference reads them: whole `serde_json::Value` trees.
    fn decode_mask(name: &str, raw: &RawValue) -> Result<serde_json::Value, InputError> {
        let mut deserializer = serde_json::Deserializer::from_str(raw.get());
        deserializer.disable_recursion_limit();
        serde_json::Value::deserialize(&mut deserializer).map_err(|e| json_error(name, &e))
    }

    fn decode_value(name: &str, raw: &RawValue) -> Result<Value, InputError> {
        let mut deserializer = serde_json::Deserializer::from_str(raw.get());
        deserializer.disable_recursion_limit();
        Decoded::deserialize(&mut deserializer)
            .map(|d| d.0)
            .map_err(|e| json_error(name, &e))
    }

    /// Decodes a value with its unknown and sensitive masks, collecting the strings the masks mark.
    fn decode_masked(
        name: &str,
        value: Option<&RawValue>,
        unknown: Option<&RawValue>,
        sensitive: Option<&RawValue>,
        secrets: &mut Vec<String>,
    ) -> Result<Value, InputError> {
        let mut decoded = match value {
            Some(raw) => decode_value(name, raw)?,
            None => Value::null(),
        };
        if let Some(raw) = unknown {
            let mask = decode_mask(name, raw)?;
            apply_unknown(&mut decoded, &mask);
        }
        match sensitive {
            Some(raw) => {
                let mask = decode_mask(name, raw)?;
                apply_sensitive(&mut decoded, &mask);
                collect_sensitive_strings(&decoded, false, secrets);
            }
            // No mask at all where a value exists (plans before Terraform 0.15): cannot tell what is
            // sensitive, so nothing of it is displayed. Its strings are not scrubbed from the rest of
            // the output: they include names and regions that appear everywhere.
            None if !decoded.is_null() => mark_all_sensitive(&mut decoded),
            None => {}
        }
        Ok(decoded)
    }

    /// Marks a value and everything inside it sensitive: a policy that picks a leaf out of a value
    /// marked sensitive as a whole must see the leaf as sensitive too.
    fn mark_all_sensitive(value: &mut Value) {
        value.sensitive = true;
        match &mut value.kind {
            Kind::List(items) => Arc::make_mut(items).iter_mut().for_each(mark_all_sensitive),
            Kind::Object(map) => Arc::make_mut(map).values_mut().for_each(mark_all_sensitive),
            _ => {}
        }
    }

    /// `after` omits unknown leaves; `after_unknown` has `true` where they are.
    fn apply_unknown(value: &mut Value, mask: &serde_json::Value) {
        match mask {
            serde_json::Value::Bool(true) => value.kind = Kind::Unknown,
            serde_json::Value::Object(map) => {
                if value.is_null() && !map.is_empty() {
                    value.kind = Kind::object(BTreeMap::new());
                }
                if let Some(fields) = value.kind.object_mut() {
                    for (key, sub) in map {
                        let entry = fields.entry(key.clone()).or_default();
                        apply_unknown(entry, sub);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                if value.is_null() && !items.is_empty() {
                    value.kind = Kind::list(Vec::new());
                }
                if let Some(list) = value.kind.list_mut() {
                    if list.len() < items.len() {
                        list.resize_with(items.len(), Value::null);
                    }
                    for (item, sub) in list.iter_mut().zip(items) {
                        apply_unknown(item, sub);
                    }
                }
            }
            _ => {}
        }
    }

    /// Marks sensitive leaves; a mask whose shape does not match the value marks the whole subtree.
    fn apply_sensitive(value: &mut Value, mask: &serde_json::Value) {
        match (mask, &mut value.kind) {
            (serde_json::Value::Bool(true), _) => mark_all_sensitive(value),
            (serde_json::Value::Bool(false), _) => {}
            (serde_json::Value::Object(_), Kind::Null | Kind::Unknown) => {}
            (serde_json::Value::Array(_), Kind::Null | Kind::Unknown) => {}
            (serde_json::Value::Object(map), Kind::Object(fields)) => {
                for (key, sub) in map {
                    if let Some(field) = Arc::make_mut(fields).get_mut(key) {
                        apply_sensitive(field, sub);
                    }
                }
            }
            (serde_json::Value::Array(items), Kind::List(list)) => {
                for (item, sub) in Arc::make_mut(list).iter_mut().zip(items) {
                    apply_sensitive(item, sub);
                }
            }
            _ => mark_all_sensitive(value),
        }
    }

    fn collect_sensitive_strings(value: &Value, inherited: bool, out: &mut Vec<String>) {
        let sensitive = inherited || value.sensitive;
        match &value.kind {
            Kind::String(s) if sensitive => out.push(s.clone()),
            Kind::List(items) => items
                .iter()
                .for_each(|i| collect_sensitive_strings(i, sensitive, out)),
            Kind::Object(map) => map
                .values()
                .for_each(|i| collect_sensitive_strings(i, sensitive, out)),
            _ => {}
        }
    }

    /// Deserializes JSON straight into a model value, without an intermediate tree.
    struct Decoded(Value);

    impl<'de> Deserialize<'de> for Decoded {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(DecodedVisitor)
        }
    }

    struct DecodedVisitor;

    impl<'de> Visitor<'de> for DecodedVisitor {
        type Value = Decoded;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Decoded, E> {
            Ok(Decoded(Value::bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decoded, E> {
            Ok(Decoded(Value::number(v as f64)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decoded, E> {
            Ok(Decoded(Value::number(v as f64)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decoded, E> {
            Ok(Decoded(Value::number(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decoded, E> {
            Ok(Decoded(Value::string(v)))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Decoded, E> {
            Ok(Decoded(Value::string(v)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Decoded, E> {
            Ok(Decoded(Value::null()))
        }
        fn visit_none<E: de::Error>(self) -> Result<Decoded, E> {
            Ok(Decoded(Value::null()))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Decoded, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(Decoded(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Decoded(Value::list(items)))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded, A::Error> {
            let mut fields = BTreeMap::new();
            while let Some((key, Decoded(value))) = map.next_entry::<String, Decoded>()? {
                fields.insert(key, value);
            }
            Ok(Decoded(Value::object(fields)))
        }
    }

    /// A change that does not read is reported where the whole file's serial reading reports
    /// it: the first error in the file, its line and column, before any error of decoding.
    #[test]
    fn changes_read_in_parallel_report_errors_as_the_whole_file_does() {
        let good =
            r#"{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["create"]}}"#;
        let unknown_action =
            r#"{"address": "a.c", "type": "a", "name": "c", "change": {"actions": ["explode"]}}"#;
        let cases = [
            format!("{{\n\"resource_changes\": [\n{good},\n{{\"address\": 1}}\n]}}"),
            format!("{{\"resource_changes\": [{unknown_action},\n{good}, {{\"type\": \"a\"}}]}}"),
            format!("{{\"resource_changes\": [{good}, 7],\n\"format_version\": 1}}"),
            format!("{{\"resource_changes\": [{good}],\n\"resource_drift\": [{{}}]}}"),
        ];
        for body in &cases {
            let err = match load_plan("p.json", body.as_bytes()) {
                Err(e) => e,
                Ok(_) => panic!("{body}: read"),
            };
            let mut deserializer = serde_json::Deserializer::from_slice(body.as_bytes());
            let whole = RawPlan::<RawResourceChange<'_>>::deserialize(&mut deserializer)
                .err()
                .expect("the whole file does not read");
            let expected = json_error("p.json", &whole);
            assert_eq!(
                (&err.message, err.line, err.column),
                (&expected.message, expected.line, expected.column),
                "{body}"
            );
            assert!(
                err.message.starts_with("invalid plan JSON"),
                "{}",
                err.message
            );
        }
        // Every change reads: the decoding error (an unknown action) is reported.
        let body = format!("{{\"resource_changes\": [{good}, {unknown_action}]}}");
        let err = load_plan("p.json", body.as_bytes()).expect_err("an error");
        assert_eq!(err.message, "unknown action `explode` on `a.c`");
    }

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    #[test]
    fn the_streaming_decoder_matches_the_tree_decoder() {
        // Strings of at least `MIN_TRIPWIRE_LEN` characters, so that the collected secrets
        // have prints to compare.
        let values = [
            None,
            Some("null"),
            Some(r#""s-string-1""#),
            Some("1.5"),
            Some("true"),
            Some("[]"),
            Some(r#"["a-string-1", "b-string-1"]"#),
            Some(
                r#"{"a": "x-string-1", "b": {"c": "y-string-1"}, "l": [1, "z-string-1\nline-two-"], "n": null}"#,
            ),
            Some(r#"{"a": 1, "a": "second-string", "m": {}}"#),
            Some(r#"[{"k": "v-string-1"}, null, ["deep-string"]]"#),
        ];
        let unknowns = [
            None,
            Some("true"),
            Some("false"),
            Some("{}"),
            Some(r#"{"a": true}"#),
            Some(r#"{"b": {"c": true, "d": true}, "n": true, "f": false, "e": {}}"#),
            Some("[true]"),
            Some("[false, true, true]"),
            Some(r#"{"l": [false, false, true], "m": {"x": true}}"#),
            Some(r#"[{"k": true}, {"j": true}]"#),
            // A repeated name: the last one counts, as for any JSON object.
            Some(r#"{"a": {}, "z": false, "a": true}"#),
        ];
        let masks = [
            None,
            Some("true"),
            Some("false"),
            Some("{}"),
            Some(r#"{"a": true}"#),
            Some(r#"{"b": {"c": true}, "d": true}"#),
            Some("[true]"),
            Some(r#"{"l": [false, true], "n": true}"#),
            Some(r#"{"a": {"x": true}}"#),
            Some(r#""weird""#),
            Some("null"),
            Some(r#"[{"k": true}, false, [true]]"#),
            Some(r#"{"b": [true]}"#),
            Some(r#"{"a": false, "b": true, "a": true}"#),
        ];
        let (mut cases, mut with_secrets) = (0, 0);
        for value in values {
            for unknown in unknowns {
                for mask in masks {
                    let (value_raw, unknown_raw, mask_raw) =
                        (value.map(raw), unknown.map(raw), mask.map(raw));
                    // `null` reads as absent, as serde reads `Option<&RawValue>`.
                    let value_raw = value_raw.filter(|r| r.get() != "null");
                    let mut tree_secrets = Vec::new();
                    let tree = decode_masked(
                        "p.json",
                        value_raw.as_deref(),
                        unknown_raw.as_deref(),
                        mask_raw.as_deref(),
                        &mut tree_secrets,
                    )
                    .unwrap();
                    let mut builder = Builder::new();
                    let mut secrets = Vec::new();
                    let root = decode_side(
                        "p.json",
                        &mut builder,
                        &mut secrets,
                        value_raw.as_deref(),
                        unknown_raw.as_deref(),
                        mask_raw.as_deref(),
                    )
                    .unwrap();
                    let stored = Stored::from_builder(builder, root);
                    let context = format!("value {value:?} unknown {unknown:?} mask {mask:?}");
                    assert_eq!(stored.get().to_value(), tree, "{context}");
                    let mut tree_prints = Vec::new();
                    for secret in &tree_secrets {
                        add_prints(secret, &mut tree_prints);
                    }
                    tree_prints.sort();
                    secrets.sort();
                    assert_eq!(secrets, tree_prints, "{context}");
                    with_secrets += usize::from(!secrets.is_empty());
                    cases += 1;
                }
            }
        }
        assert_eq!(cases, 10 * 11 * 14);
        assert!(with_secrets > 300, "{with_secrets}");
    }
}

//! Terraform and Terragrunt source, evaluated statically the way Terraform does.
//!
//! - Discovery walks the given directories with the `ignore` crate (`.gitignore` honoured, hidden
//!   files kept, `.terraform/`, `.terragrunt-cache/` and `.git/` pruned, sorted order).
//! - Every file is read once and parsed in parallel: native syntax with hcl-edit (byte spans),
//!   `.tf.json` with our own span-keeping JSON reader, into one tree ([`ast`]).
//! - A root module (a directory with `.tf` files that no other local module calls) and each
//!   Terragrunt unit becomes a [`Model`]: variables as Terraform resolves them, locals,
//!   resources per instance (`count`/`for_each`/`dynamic` expanded), child modules (local
//!   sources and `.terraform/modules/modules.json`, never the network), outputs.
//! - Values carry unknown/null, sensitive marks and origins (the spans that produced them).

mod ast;
mod cidr;
mod config;
mod eval;
mod files;
mod functions;
mod json_syntax;
mod module;
mod policy_doc;
mod terragrunt;
mod types;
mod vals;

pub(crate) use terragrunt::redact_url as redact_source_url;

use super::Loaded;
use crate::error::{InputError, SourceKind};

/// The help line under a syntax error's snippet.
const SYNTAX_HELP: &str =
    "guard reads this file as Terraform does: fix the syntax here (`terraform validate` shows the same error)";
use crate::source::SourceMap;
use ast::{ParsedFile, Sp};
use config::ModuleConfig;
use eval::NoNames;
use eval::{Ev, Scope};
use guard_policies::model::{InputKind, Model, ModelParts};
use guard_policies::FileId;
use guard_policies::{Origin, OriginKind, Value};
use module::{Inst, Provided};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Options for reading HCL input.
#[derive(Debug, Clone, Default)]
pub struct HclOptions {
    /// `--var-file` paths, in order.
    pub var_files: Vec<PathBuf>,
    /// `--var k=v`, in order.
    pub vars: Vec<(String, String)>,
    /// Read `TF_VAR_*` from the environment.
    pub env_vars: bool,
    /// `--include` / `--exclude` globs.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// What [`load_with_diagnostics`] found besides the models: evaluation problems that do not
/// stop anything (an expression that could not be evaluated became unknown).
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// `file:line:col: what`, one per expression.
    pub messages: Vec<String>,
    pub found: Vec<Diag>,
}

/// An expression that became unknown, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diag {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub what: String,
}

/// Loads every Terraform module and Terragrunt unit found under `paths`.
///
/// Expressions that could not be evaluated (an undeclared variable, a function guard does not
/// know) became unknown values, which policies report as such; they are also summarised as one
/// warning per module directory, so nothing is skipped silently.
pub fn load(paths: &[PathBuf], options: &HclOptions) -> Loaded {
    let (mut loaded, diagnostics) = load_with_diagnostics(paths, options);
    // One warning per file, at the first expression that became unknown.
    let mut by_file: BTreeMap<&str, Vec<&Diag>> = BTreeMap::new();
    for d in &diagnostics.found {
        by_file.entry(&d.file).or_default().push(d);
    }
    for (file, diags) in by_file {
        let shown: Vec<String> = diags
            .iter()
            .take(3)
            .map(|d| match d.line {
                Some(line) => format!("{} (line {line})", d.what),
                None => d.what.clone(),
            })
            .collect();
        let more = diags.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        };
        let first = diags[0];
        let mut warning = InputError::new(
            file,
            format!(
                "{} expression{} could not be evaluated and {} treated as unknown: {}{more}",
                diags.len(),
                if diags.len() == 1 { "" } else { "s" },
                if diags.len() == 1 { "is" } else { "are" },
                shown.join("; ")
            ),
        );
        if let Some(line) = first.line {
            warning = warning.at(line, first.column.unwrap_or(0));
        }
        loaded.warnings.push(warning);
    }
    loaded.warnings.sort();
    loaded
}

/// [`load`], also returning the evaluation diagnostics (for the corpus check).
pub fn load_with_diagnostics(paths: &[PathBuf], options: &HclOptions) -> (Loaded, Diagnostics) {
    let run = || load_inner(paths, options);
    match rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

/// Where a module call's source is.
pub enum ModuleSource {
    Dir(PathBuf),
    Missing(String),
}

type FileSlot = Arc<OnceLock<Option<Arc<ParsedFile>>>>;

/// Shared state of one load: the file cache, errors, diagnostics.
pub struct Loader {
    opts: HclOptions,
    files: Mutex<HashMap<PathBuf, FileSlot>>,
    configs: Mutex<HashMap<PathBuf, Arc<OnceLock<Arc<ModuleConfig>>>>>,
    modules_json: Mutex<HashMap<PathBuf, Arc<HashMap<String, PathBuf>>>>,
    errors: Mutex<Vec<InputError>>,
    /// Inputs not checked that are not errors (modules never downloaded).
    warnings: Mutex<Vec<InputError>>,
    reported: Mutex<HashSet<String>>,
    diags: Mutex<Vec<Diag>>,
    generated: Mutex<Vec<Generated>>,
    /// Where reads may go: see [`Sandbox`].
    sandbox: Sandbox,
}

/// The file sandbox: everything the loader reads stays inside the repository root of a scanned
/// path (the enclosing git work tree, else the scan root itself), whatever the code says:
/// `file()`, module sources, Terragrunt's `read_terragrunt_config`, `include`, symlinks.
/// Files named on the command line (`--var-file`) are the user's choice and always allowed.
#[derive(Debug, Clone, Default)]
pub struct Sandbox {
    /// Canonical repository roots.
    roots: Vec<PathBuf>,
    /// Canonical paths of files named on the command line.
    named: HashSet<PathBuf>,
}

impl Sandbox {
    /// The sandbox for a scan of `paths`, with `named` files also readable.
    pub fn new(paths: &[PathBuf], named: &[PathBuf]) -> Sandbox {
        let mut roots: Vec<PathBuf> = paths.iter().filter_map(|p| repository_root(p)).collect();
        roots.sort();
        roots.dedup();
        Sandbox {
            roots,
            named: named.iter().map(|p| resolved(p)).collect(),
        }
    }

    /// Whether `path` (as it will be opened: lexically normalised, then with symlinks
    /// resolved) is inside a repository root.
    pub fn allows(&self, path: &Path) -> bool {
        let real = resolved(path);
        self.named.contains(&real) || self.roots.iter().any(|r| real.starts_with(r))
    }

    /// The repository root `path` is in, for `find_in_parent_folders` to stop at.
    pub fn root_of(&self, path: &Path) -> Option<PathBuf> {
        let real = resolved(path);
        self.roots
            .iter()
            .filter(|r| real.starts_with(r))
            .max_by_key(|r| r.as_os_str().len())
            .cloned()
    }
}

/// The repository root of a scanned path: the enclosing git work tree (a directory holding
/// `.git`), else the scan root (the path itself, or a file's directory).
pub fn repository_root(path: &Path) -> Option<PathBuf> {
    let real = resolved(path);
    let start = if real.is_dir() {
        real
    } else {
        real.parent()?.to_path_buf()
    };
    let git = start.ancestors().find(|d| d.join(".git").exists());
    Some(git.unwrap_or(&start).to_path_buf())
}

/// `path` made absolute, lexically normalised (as the loader opens it), then with symlinks
/// resolved; for a path that does not exist, its nearest existing ancestor is resolved.
pub fn resolved(path: &Path) -> PathBuf {
    let abs = normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    let mut cur: &Path = &abs;
    loop {
        if let Ok(real) = std::fs::canonicalize(cur) {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                cur = parent;
            }
            _ => return abs,
        }
    }
}

/// Lexically normalises a path: removes `.` and folds `..` where possible.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

fn display(p: &Path) -> String {
    crate::display_path(p)
}

/// Configuration files: Terraform's `.tf` and `.tf.json`, and OpenTofu's `.tofu` and
/// `.tofu.json`.
fn is_tf(name: &str) -> bool {
    name.ends_with(".tf")
        || name.ends_with(".tf.json")
        || name.ends_with(".tofu")
        || name.ends_with(".tofu.json")
}

/// OpenTofu's rule: `x.tofu` replaces `x.tf` and `x.tofu.json` replaces `x.tf.json` in the same
/// directory (override files included: `x_override.tofu` replaces `x_override.tf`). This is
/// the name of the file that replaces `name`, if it is a Terraform file.
fn tofu_twin(name: &str) -> Option<String> {
    if let Some(stem) = name.strip_suffix(".tf.json") {
        Some(format!("{stem}.tofu.json"))
    } else {
        name.strip_suffix(".tf").map(|stem| format!("{stem}.tofu"))
    }
}

/// True when `path` is a Terraform file that OpenTofu skips because its `.tofu` twin exists.
fn replaced_by_tofu(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| tofu_twin(&n.to_string_lossy()))
        .is_some_and(|twin| path.with_file_name(twin).is_file())
}

fn is_tfvars(name: &str) -> bool {
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{FEFF}').unwrap_or(s)
}

/// A file a `generate` block writes: path, text, and the block that writes it.
type Generated = (Arc<str>, Arc<str>, Origin);

impl Loader {
    fn new(opts: &HclOptions, sandbox: Sandbox) -> Loader {
        Loader {
            sandbox,
            opts: opts.clone(),
            files: Mutex::new(HashMap::new()),
            configs: Mutex::new(HashMap::new()),
            modules_json: Mutex::new(HashMap::new()),
            errors: Mutex::new(Vec::new()),
            warnings: Mutex::new(Vec::new()),
            reported: Mutex::new(HashSet::new()),
            diags: Mutex::new(Vec::new()),
            generated: Mutex::new(Vec::new()),
        }
    }

    fn error(&self, e: InputError) {
        if let Ok(mut errors) = self.errors.lock() {
            errors.push(e);
        }
    }

    /// A diagnostic written `file: what` (no position known).
    pub fn diag(&self, msg: String) {
        let (file, what) = msg.split_once(": ").unwrap_or(("", msg.as_str()));
        self.push_diag(Diag {
            file: file.to_string(),
            line: None,
            column: None,
            what: what.to_string(),
        });
    }

    /// A diagnostic at a byte offset of a file that was read.
    pub fn diag_at(&self, file: &FileId, offset: usize, what: String) {
        let (line, column) = self.line_col(file, offset);
        self.push_diag(Diag {
            file: file.to_string(),
            line: (line > 0).then_some(line),
            column: (column > 0).then_some(column),
            what,
        });
    }

    fn push_diag(&self, d: Diag) {
        if let Ok(mut diags) = self.diags.lock() {
            if diags.len() < 100_000 {
                diags.push(d);
            }
        }
    }

    /// Reports an error at a byte offset of a file that was read.
    pub fn report_at(&self, file: &FileId, offset: usize, message: String) {
        let key = format!("{file}:{offset}:{message}");
        if let Ok(mut seen) = self.reported.lock() {
            if !seen.insert(key) {
                return;
            }
        }
        let (line, col) = self.line_col(file, offset);
        self.error(InputError::new(file.to_string(), message).at(line, col));
    }

    /// A warning, once per message: something that was not checked but is not an error in the
    /// input (a registry module that `terraform init` has not downloaded). Reported once per
    /// source, not per call site, so a repository that uses one module a hundred times gets one
    /// line. Warnings do not change the exit code.
    pub fn report_once(&self, file: &FileId, offset: usize, message: String) {
        if let Ok(mut seen) = self.reported.lock() {
            if !seen.insert(format!("warning:{file}:{message}")) {
                return;
            }
        }
        let (line, col) = self.line_col(file, offset);
        if let Ok(mut warnings) = self.warnings.lock() {
            warnings.push(InputError::new(file.to_string(), message).at(line, col));
        }
    }

    fn line_col(&self, file: &str, offset: usize) -> (usize, usize) {
        let slot = self
            .files
            .lock()
            .ok()
            .and_then(|f| f.get(Path::new(file)).cloned());
        match slot.and_then(|s| s.get().cloned().flatten()) {
            Some(pf) => crate::source::SourceFile::new(pf.text.clone()).line_col(offset),
            None => (0, 0),
        }
    }

    /// Reads and parses a file once; `None` (with an error reported) when it cannot be parsed.
    pub fn file(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        let path = normalize(path);
        let slot = {
            let mut files = self.files.lock().ok()?;
            files.entry(path.clone()).or_default().clone()
        };
        slot.get_or_init(|| self.parse_file(&path)).clone()
    }

    fn parse_file(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        let name = display(path);
        if !self.sandbox.allows(path) {
            // Callers check first and warn where the code asked; this is the last line.
            self.error(InputError::new(
                &name,
                "outside the repository root; not read",
            ));
            return None;
        }
        // Before reading: a file over 4 GiB is refused without loading it into memory.
        if std::fs::metadata(path).is_ok_and(|m| crate::load::too_large(m.len())) {
            self.error(crate::load::too_large_error(&name));
            return None;
        }
        let bytes = match std::fs::read(path) {
            // It may have grown since: the check that counts is on the bytes read.
            Ok(b) if crate::load::too_large(b.len() as u64) => {
                self.error(crate::load::too_large_error(&name));
                return None;
            }
            Ok(b) => b,
            Err(e) => {
                self.error(InputError::new(
                    &name,
                    format!("cannot read file: {}", crate::io_reason(&e)),
                ));
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                self.error(InputError::new(&name, "not UTF-8 text; file skipped"));
                return None;
            }
        };
        // A BOM is blanked to spaces-free removal: offsets stay those of the text without it.
        let text = strip_bom(&text).to_string();
        if name.ends_with(".json")
            && !name.ends_with(".tfvars.json")
            && crate::load::shape::is_plan(text.as_bytes())
        {
            // A plan named `.tf.json`: `load::inputs` checks it as a plan and says so.
            return None;
        }
        let path_str: Arc<str> = Arc::from(name.as_str());
        let parsed = catch_unwind(AssertUnwindSafe(|| {
            if name.ends_with(".tfvars.json") {
                json_syntax::parse_json(&text).and_then(|(j, _)| json_syntax::tfvars_file_body(&j))
            } else if name.ends_with(".json") {
                json_syntax::parse_json(&text).and_then(|(j, sp)| json_syntax::file_body(&j, sp))
            } else {
                ast::parse_native(&text)
            }
        }));
        let body = match parsed {
            Ok(Ok(body)) => body,
            Ok(Err(e)) => {
                let kind = if name.ends_with(".json") {
                    SourceKind::Json
                } else if name.ends_with(".tfvars") {
                    SourceKind::Tfvars
                } else {
                    SourceKind::Hcl
                };
                self.error(
                    InputError::new(&name, e.message)
                        .at(e.line, e.column)
                        .with_source(&text, kind, SYNTAX_HELP),
                );
                return None;
            }
            Err(_) => {
                self.error(InputError::new(
                    &name,
                    "internal error while parsing this file (a bug in guard; please report it)",
                ));
                return None;
            }
        };
        Some(Arc::new(ParsedFile {
            id: FileId::intern(&path_str),
            path: path_str,
            text: Arc::from(text),
            body,
        }))
    }

    /// Registers the text of a generated file so reports can show it.
    pub fn add_generated(&self, path: Arc<str>, text: Arc<str>, generate: Origin) {
        if let Ok(mut g) = self.generated.lock() {
            g.push((path, text, generate));
        }
    }

    /// A file read as text (for `file()`), not parsed.
    pub fn read_text(&self, path: &Path) -> Option<String> {
        if !self.sandbox.allows(path) {
            return None;
        }
        let t = std::fs::read_to_string(path).ok()?;
        Some(strip_bom(&t).to_string())
    }

    /// Whether `path` may be read (see [`Sandbox`]).
    pub fn allows(&self, path: &Path) -> bool {
        self.sandbox.allows(path)
    }

    /// The repository root `path` is in.
    pub fn root_of(&self, path: &Path) -> Option<PathBuf> {
        self.sandbox.root_of(path)
    }

    /// A read the sandbox refused: a warning at the code that asked (`file:line`), naming the
    /// function and the path as written (unless it is sensitive). The value is unknown.
    pub fn refuse(&self, file: &FileId, offset: usize, function: &str, path: &Value) {
        self.refuse_with(file, offset, function, path, "the value is unknown");
    }

    /// [`Loader::refuse`] saying what follows from it.
    pub fn refuse_with(
        &self,
        file: &FileId,
        offset: usize,
        function: &str,
        path: &Value,
        consequence: &str,
    ) {
        let shown = match (&path.kind, path.contains_sensitive()) {
            (guard_policies::Kind::String(s), false) => {
                let s: String = s.chars().take(200).collect();
                format!(" `{}`", s.replace('`', "'"))
            }
            _ => String::new(),
        };
        self.report_once(
            file,
            offset,
            format!(
                "`{function}`: the path{shown} is outside the repository root; not read ({consequence})"
            ),
        );
    }

    /// The module in a directory: its `.tf`, `.tf.json`, `.tofu` and `.tofu.json` files, in
    /// lexical order, without the `.tf` files a `.tofu` twin replaces.
    pub fn module_config(&self, dir: &Path) -> Arc<ModuleConfig> {
        let dir = normalize(dir);
        let slot = match self.configs.lock() {
            Ok(mut c) => c.entry(dir.clone()).or_default().clone(),
            Err(_) => return Arc::new(ModuleConfig::default()),
        };
        slot.get_or_init(|| {
            let files: Vec<Arc<ParsedFile>> = list_dir(&dir, is_tf)
                .iter()
                .filter_map(|p| self.file(p))
                .collect();
            Arc::new(ModuleConfig::build(dir.clone(), &files))
        })
        .clone()
    }

    fn modules_json(&self, root: &Path) -> Arc<HashMap<String, PathBuf>> {
        if let Ok(m) = self.modules_json.lock() {
            if let Some(x) = m.get(root) {
                return x.clone();
            }
        }
        let mut map = HashMap::new();
        let path = root.join(".terraform").join("modules").join("modules.json");
        if let Ok(text) = std::fs::read_to_string(&path) {
            if let Ok(j) = serde_json::from_str::<serde_json::Value>(strip_bom(&text)) {
                if let Some(mods) = j.get("Modules").and_then(|m| m.as_array()) {
                    for m in mods {
                        if let (Some(k), Some(d)) = (
                            m.get("Key").and_then(|k| k.as_str()),
                            m.get("Dir").and_then(|d| d.as_str()),
                        ) {
                            map.insert(k.to_string(), normalize(&root.join(d)));
                        }
                    }
                }
            }
        }
        let arc = Arc::new(map);
        if let Ok(mut m) = self.modules_json.lock() {
            m.insert(root.to_path_buf(), arc.clone());
        }
        arc
    }

    /// Finds a module call's directory: local paths, then `.terraform/modules/modules.json`.
    pub fn resolve_module(
        &self,
        root: &Path,
        from: &Path,
        source: Option<&str>,
        key: &str,
    ) -> ModuleSource {
        let Some(source) = source else {
            return ModuleSource::Missing("its source is not a literal string".into());
        };
        if source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
        {
            let dir = normalize(&from.join(source));
            if !self.allows(&dir) {
                return ModuleSource::Missing(format!(
                    "its source `{source}` is outside the repository root; not read"
                ));
            }
            return if dir.is_dir() {
                ModuleSource::Dir(dir)
            } else {
                ModuleSource::Missing(format!("no directory at `{source}`"))
            };
        }
        if let Some(dir) = self.modules_json(root).get(key) {
            if !self.allows(dir) {
                return ModuleSource::Missing(
                    "`.terraform/modules/modules.json` points outside the repository root; not read"
                        .into(),
                );
            }
            if dir.is_dir() {
                return ModuleSource::Dir(dir.clone());
            }
        }
        ModuleSource::Missing(
            "remote source not downloaded; run `terraform init` to use .terraform/modules".into(),
        )
    }

    /// Values of root variables from tfvars files, `--var-file`, `--var` and `TF_VAR_`, in
    /// Terraform's precedence (later wins). `base` are values with lower precedence (Terragrunt
    /// inputs). `dirs` are the directories whose `terraform.tfvars` and `*.auto.tfvars` apply.
    fn root_values(
        &self,
        cfg: &ModuleConfig,
        dirs: &[PathBuf],
        base: Provided,
        secrets: &mut Vec<String>,
    ) -> Provided {
        let mut out = Provided::new();
        let decl_ty = |name: &str| {
            cfg.var_index
                .get(name)
                .and_then(|&i| cfg.variables[i].ty.as_ref())
        };
        let text_value = |name: &str, text: &str| -> Value {
            if types::is_stringish(decl_ty(name)) {
                return Value::string(text);
            }
            match hcl_edit::parser::parse_expr(text) {
                Ok(e) => {
                    let e = ast::convert_expr(&e, Some(Sp::default()));
                    let ev = Ev::new(FileId::intern(""), OriginKind::Tfvars, &NoNames);
                    let mut v = ev
                        .eval(&e, &Scope::root())
                        .unwrap_or_else(|_| Value::string(text));
                    strip_origins(&mut v);
                    v
                }
                Err(_) => Value::string(text),
            }
        };
        if self.opts.env_vars {
            let mut env: Vec<(String, String)> = std::env::vars()
                .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_string(), v)))
                .collect();
            env.sort();
            for (k, v) in env {
                if cfg.var_index.contains_key(&k) {
                    let value = text_value(&k, &v);
                    out.insert(k, value);
                }
            }
        }
        for (k, v) in base {
            out.insert(k, v);
        }
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            let mut autos = Vec::new();
            for p in list_dir(dir, is_tfvars) {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                if name == "terraform.tfvars" || name == "terraform.tfvars.json" {
                    files.push(p);
                } else if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") {
                    autos.push(p);
                }
            }
            files.sort_by_key(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().ends_with(".json"))
            });
            autos.sort();
            files.extend(autos);
        }
        files.extend(self.opts.var_files.iter().cloned());
        for f in files {
            if let Some(pf) = self.file(&f) {
                let ev = Ev::new(pf.id, OriginKind::Tfvars, &NoNames);
                for a in &pf.body.attrs {
                    let mut v = ev
                        .eval(&a.expr, &Scope::root())
                        .unwrap_or_else(|_| Value::unknown());
                    let o = module::origin(&pf.id, a.sp, OriginKind::Tfvars);
                    if !v.origins.contains(&o) {
                        v.origins.insert(0, o);
                    }
                    out.insert(a.name.clone(), v);
                }
            }
        }
        for (k, v) in &self.opts.vars {
            let value = text_value(k, v);
            out.insert(k.clone(), value);
        }
        for (k, v) in &out {
            if cfg
                .var_index
                .get(k)
                .is_some_and(|&i| cfg.variables[i].sensitive)
            {
                v.walk_strings(&mut Vec::new(), &mut |_, _, s| secrets.push(s.to_string()));
            }
        }
        out
    }

    /// Evaluates a root module into a model.
    fn eval_root(
        &self,
        name: &str,
        cfg: Arc<ModuleConfig>,
        tfvars_dirs: &[PathBuf],
        base: Provided,
    ) -> (Model, Vec<String>) {
        let mut secrets = Vec::new();
        let provided = self.root_values(&cfg, tfvars_dirs, base, &mut secrets);
        let root_dir = cfg.dir.clone();
        let inst = Inst::new(
            self,
            cfg,
            String::new(),
            String::new(),
            root_dir,
            Vec::new(),
            Vec::new(),
            provided,
        );
        let c = inst.run();
        secrets.extend(c.secrets);
        let model = Model::from(ModelParts {
            name: Arc::from(name),
            input: Some(InputKind::Hcl),
            resources: c.resources,
            drift: Vec::new(),
            outputs: c.outputs,
            variables: c.variables,
            providers: c.providers,
            module_calls: c.module_calls,
            plan: None,
            not_downloaded: c.not_downloaded,
        });
        (model, secrets)
    }
}

fn strip_origins(v: &mut Value) {
    v.origins.clear();
    match &mut v.kind {
        guard_policies::Kind::List(items) => {
            Arc::make_mut(items).iter_mut().for_each(strip_origins)
        }
        guard_policies::Kind::Object(m) => Arc::make_mut(m).values_mut().for_each(strip_origins),
        _ => {}
    }
}

/// Files of one directory matching `pred`, sorted by name, without the Terraform files an
/// OpenTofu twin replaces ([`tofu_twin`]).
fn list_dir(dir: &Path, pred: fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter(|e| pred(&e.file_name().to_string_lossy()))
            .map(|e| normalize(&dir.join(e.file_name())))
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    let names: HashSet<String> = out
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    out.retain(|p| {
        p.file_name()
            .and_then(|n| tofu_twin(&n.to_string_lossy()))
            .is_none_or(|twin| !names.contains(&twin))
    });
    out
}

/// What discovery found under one input path.
#[derive(Default)]
struct Found {
    /// Directories with `.tf`/`.tf.json` files.
    module_dirs: BTreeSet<PathBuf>,
    /// Directories with a `terragrunt.hcl`.
    units: BTreeSet<PathBuf>,
    /// Every file to parse up front.
    files: Vec<PathBuf>,
    /// Input directories without a single Terraform or Terragrunt file.
    found_nothing: Vec<PathBuf>,
}

/// `include`/`exclude` patterns as one set; `None` when there are none.
pub(crate) fn build_globs(patterns: &[String]) -> Option<globset::GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        if let Ok(g) = globset::Glob::new(p) {
            b.add(g);
        }
        // A bare directory pattern also covers what is under it.
        if let Ok(g) = globset::Glob::new(&format!("{}/**", p.trim_end_matches('/'))) {
            b.add(g);
        }
    }
    b.build().ok()
}

fn discover(paths: &[PathBuf], opts: &HclOptions, errors: &mut Vec<InputError>) -> Found {
    let include = build_globs(&opts.include);
    let exclude = build_globs(&opts.exclude);
    let mut found = Found::default();
    for input in paths {
        let input = normalize(input);
        if input.is_file() {
            let name = input
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let dir = input
                .parent()
                .map(normalize)
                .unwrap_or_else(|| PathBuf::from("."));
            let dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            };
            if name == "terragrunt.hcl" || name == "terragrunt.hcl.json" {
                found.units.insert(dir);
                found.files.push(input);
            } else if is_tf(&name) || is_tfvars(&name) {
                found.module_dirs.insert(dir);
            } else {
                errors.push(InputError::new(
                    display(&input),
                    "not a Terraform or Terragrunt file (.tf, .tf.json, .tofu, .tfvars, terragrunt.hcl)",
                ));
            }
            continue;
        }
        if !input.is_dir() {
            errors.push(InputError::new(
                display(&input),
                "cannot read: no such file or directory",
            ));
            continue;
        }
        let walker = ignore::WalkBuilder::new(&input)
            .hidden(false)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.depth() > 0
                    && matches!(
                        n.as_ref(),
                        ".terraform" | ".terragrunt-cache" | ".git" | ".terragrunt-stack"
                    ))
            })
            .build();
        let mut checkable = 0usize;
        for entry in walker {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = normalize(entry.path());
            let name = entry.file_name().to_string_lossy().to_string();
            let rel = path.strip_prefix(&input).unwrap_or(&path).to_path_buf();
            if let Some(inc) = &include {
                if !inc.is_match(&rel) {
                    continue;
                }
            }
            if let Some(exc) = &exclude {
                if exc.is_match(&rel) {
                    continue;
                }
            }
            let dir = path
                .parent()
                .map(normalize)
                .unwrap_or_else(|| PathBuf::from("."));
            let dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            };
            if is_tf(&name) {
                if replaced_by_tofu(&path) {
                    continue;
                }
                if is_json_plan(&name, &path) {
                    // Checked as a plan by `load::inputs`; not configuration.
                    continue;
                }
                checkable += 1;
                found.module_dirs.insert(dir.clone());
                found.files.push(path);
            } else if name == "terragrunt.hcl" || name == "terragrunt.hcl.json" {
                checkable += 1;
                found.units.insert(dir.clone());
                found.files.push(path);
            } else if is_tfvars(&name) || name.ends_with(".hcl") {
                found.files.push(path);
            } else {
                continue;
            }
        }
        if checkable == 0 {
            found.found_nothing.push(input.clone());
        }
    }
    found
}

/// A `.tf.json` file that is really a plan (`terraform show -json` output).
fn is_json_plan(name: &str, path: &Path) -> bool {
    name.ends_with(".json")
        && std::fs::read(path).is_ok_and(|bytes| crate::load::shape::is_plan(&bytes))
}

fn load_inner(paths: &[PathBuf], options: &HclOptions) -> (Loaded, Diagnostics) {
    let sandbox = Sandbox::new(paths, &options.var_files);
    let loader = Loader::new(options, sandbox);
    let mut early_errors = Vec::new();
    let found = discover(paths, options, &mut early_errors);
    // Parse everything once, in parallel.
    found.files.par_iter().for_each(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // Other `.hcl` files are parsed when a unit includes or reads them.
        if name.ends_with(".hcl") && name != "terragrunt.hcl" {
            return;
        }
        let _ = loader.file(p);
    });
    // Terragrunt units first: they tell which module directories they use.
    let units: Vec<PathBuf> = found.units.iter().cloned().collect();
    let unit_results: Vec<(PathBuf, Option<terragrunt::Unit>)> = units
        .par_iter()
        .map(|dir| {
            let r = catch_unwind(AssertUnwindSafe(|| terragrunt::evaluate_unit(&loader, dir)));
            match r {
                Ok(u) => (dir.clone(), u),
                Err(_) => {
                    loader.error(InputError::new(display(&dir.join("terragrunt.hcl")), "internal error while evaluating this unit (a bug in guard; please report it)"));
                    (dir.clone(), None)
                }
            }
        })
        .collect();
    // A `terragrunt.hcl` that another unit includes (a parent configuration, a `root.hcl`
    // named like a unit) is not a unit: evaluated alone it reads files only its children have.
    let included: HashSet<PathBuf> = unit_results
        .iter()
        .filter_map(|(_, u)| u.as_ref())
        .flat_map(|u| u.included.iter().cloned())
        .collect();
    let (unit_results, parents): (Vec<_>, Vec<_>) =
        unit_results.into_iter().partition(|(dir, _)| {
            let file = dir.join("terragrunt.hcl");
            let file = std::fs::canonicalize(&file).unwrap_or(file);
            !included.contains(&file)
        });
    // What evaluating a parent on its own could not resolve is not a problem of the code.
    if let Ok(mut diags) = loader.diags.lock() {
        for (dir, _) in &parents {
            let file = display(&dir.join("terragrunt.hcl"));
            diags.retain(|d| d.file != file);
        }
    }
    // Roots: module directories no local module (or unit) calls.
    let module_dirs: Vec<PathBuf> = found.module_dirs.iter().cloned().collect();
    let configs: Vec<Arc<ModuleConfig>> = module_dirs
        .par_iter()
        .map(|d| loader.module_config(d))
        .collect();
    let mut called: HashSet<PathBuf> = HashSet::new();
    let mut edges: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for cfg in &configs {
        for c in &cfg.calls {
            if let Some(src) = &c.source {
                if src.starts_with("./") || src.starts_with("../") {
                    let target = normalize(&cfg.dir.join(src));
                    // A module that calls itself is still a root (and its call is reported).
                    if target != cfg.dir {
                        called.insert(target.clone());
                        edges.entry(cfg.dir.clone()).or_default().push(target);
                    }
                }
            }
        }
    }
    let mut unit_modules: Vec<PathBuf> = Vec::new();
    for (_, u) in &unit_results {
        if let Some(u) = u {
            if let Some(m) = &u.module_dir {
                called.insert(m.clone());
                unit_modules.push(m.clone());
            }
        }
    }
    let is_root = |c: &ModuleConfig| !called.contains(&c.dir) && !found.units.contains(&c.dir);
    // Modules that only call each other are reached from no root: check them as roots rather
    // than silently skip them.
    let mut reached: HashSet<PathBuf> = HashSet::new();
    let mut stack: Vec<PathBuf> = configs
        .iter()
        .filter(|c| is_root(c))
        .map(|c| c.dir.clone())
        .chain(unit_modules)
        .chain(found.units.iter().cloned())
        .collect();
    while let Some(dir) = stack.pop() {
        if reached.insert(dir.clone()) {
            stack.extend(edges.get(&dir).into_iter().flatten().cloned());
        }
    }
    let roots: Vec<Arc<ModuleConfig>> = configs
        .into_iter()
        .filter(|c| is_root(c) || (!reached.contains(&c.dir) && !found.units.contains(&c.dir)))
        .collect();
    let mut results: Vec<(Model, Vec<String>)> = roots
        .par_iter()
        .filter_map(|cfg| {
            let name = display(&cfg.dir);
            let r = catch_unwind(AssertUnwindSafe(|| {
                loader.eval_root(&name, cfg.clone(), std::slice::from_ref(&cfg.dir), Provided::new())
            }));
            match r {
                Ok(m) => Some(m),
                Err(_) => {
                    loader.error(InputError::new(&name, "internal error while evaluating this module (a bug in guard; please report it)"));
                    None
                }
            }
        })
        .collect();
    let unit_models: Vec<(Model, Vec<String>)> = unit_results
        .par_iter()
        .filter_map(|(dir, unit)| {
            let unit = unit.as_ref()?;
            let r = catch_unwind(AssertUnwindSafe(|| terragrunt::unit_model(&loader, dir, unit)));
            match r {
                Ok(m) => Some(m),
                Err(_) => {
                    loader.error(InputError::new(display(dir), "internal error while evaluating this unit (a bug in guard; please report it)"));
                    None
                }
            }
        })
        .collect();
    results.extend(unit_models);
    results.sort_by(|a, b| a.0.name().cmp(b.0.name()));

    let mut loaded = Loaded::default();
    for (model, secrets) in results {
        loaded.models.push(model);
        loaded.secrets.extend(secrets);
    }
    loaded.secrets.sort();
    loaded.secrets.dedup();
    let mut sources = SourceMap::default();
    if let Ok(files) = loader.files.lock() {
        for slot in files.values() {
            if let Some(Some(pf)) = slot.get() {
                sources.insert(pf.path.clone(), pf.text.clone());
            }
        }
    }
    if let Ok(gen) = loader.generated.lock() {
        for (p, t, generate) in gen.iter() {
            sources.insert_generated(p.clone(), t.clone(), generate.clone());
        }
    }
    loaded.sources = sources;
    loaded.found_nothing = found.found_nothing.clone();
    let mut errors = early_errors;
    if let Ok(mut e) = loader.errors.lock() {
        errors.append(&mut e);
    }
    errors.sort();
    errors.dedup();
    loaded.errors = errors;
    if let Ok(mut w) = loader.warnings.lock() {
        loaded.warnings.append(&mut w);
    }
    loaded.warnings.sort();
    let mut diags = loader.diags.into_inner().unwrap_or_default();
    diags.sort();
    diags.dedup();
    let messages = diags
        .iter()
        .map(|d| match (d.line, d.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", d.file, d.what),
            _ => format!("{}: {}", d.file, d.what),
        })
        .collect();
    (
        loaded,
        Diagnostics {
            messages,
            found: diags,
        },
    )
}

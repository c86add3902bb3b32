//! Terragrunt units: `include` (with `expose` and merge strategies), `locals`, `dependency`
//! (mock outputs), `inputs`, `terraform { source }`, `generate`, and Terragrunt's functions.
//! Nothing is executed: `run_cmd`, `sops_decrypt_file` and `get_aws_*` are unknown.
//!
//! Nothing outside the repository root is read, whatever the unit says: `terraform { source }`,
//! `include`, `read_terragrunt_config`, `read_tfvars_file` and the file functions are confined
//! to the loader's sandbox, and `find_in_parent_folders` stops at the root. A refused read is a
//! warning at the call (`file:line`) and its value is unknown.

use super::ast::{Body, Op, ParsedFile, Sp, E};
use super::eval::{Ev, Resolved, Resolver, Scope};
use super::module::{origin, Provided};
use super::vals::*;
use super::{display, is_tf, list_dir, normalize, Loader};
use guard_policies::model::{InputKind, Model, ModuleCall, Variable};
use guard_policies::FileId;
use guard_policies::{Kind, OriginKind, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A unit's resolved configuration.
pub(super) struct Unit {
    /// The module directory to evaluate (local source, or the unit's own `.tf` files).
    pub module_dir: Option<PathBuf>,
    pub source: Option<String>,
    /// `terraform.source` for SUP001, credentials removed (also set when it is unknown).
    pub source_call: Option<ModuleCall>,
    pub inputs: BTreeMap<String, Value>,
    pub generated: Vec<Arc<ParsedFile>>,
    pub file: FileId,
    pub sp: Sp,
    /// The files this unit `include`s: a `terragrunt.hcl` that another unit includes is a
    /// parent configuration, not a unit of its own.
    pub included: Vec<PathBuf>,
}

const MAX_INCLUDE_DEPTH: usize = 4;

fn abs(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|c| normalize(&c.join(p)))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// An absolute path back to the relative form used for display and reading.
fn rel(p: &Path) -> PathBuf {
    if p.is_relative() {
        return normalize(p);
    }
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    match cwd {
        Some(cwd) => match p.strip_prefix(&cwd) {
            Ok(r) if r.as_os_str().is_empty() => PathBuf::from("."),
            Ok(r) => normalize(r),
            Err(_) => normalize(&PathBuf::from(super::module::relative(&cwd, p))),
        },
        None => p.to_path_buf(),
    }
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// One Terragrunt file being evaluated for a unit.
struct TgFile<'l> {
    l: &'l Loader,
    pf: Arc<ParsedFile>,
    /// The directory of this file.
    dir: PathBuf,
    /// The unit being evaluated (`get_terragrunt_dir`).
    unit_dir: PathBuf,
    /// The included file's directory, when there is one.
    include_dir: Option<PathBuf>,
    includes: BTreeMap<String, Value>,
    /// `dependency` blocks of files included with `merge_strategy = "deep"`: Terragrunt lets
    /// the child reference them. The child's own blocks of the same name win.
    inherited_deps: BTreeMap<String, Value>,
    deps: RefCell<Option<BTreeMap<String, Value>>>,
    locals: RefCell<HashMap<String, Option<Value>>>,
    depth: usize,
}

impl<'l> TgFile<'l> {
    fn new(l: &'l Loader, pf: Arc<ParsedFile>, unit_dir: PathBuf, depth: usize) -> TgFile<'l> {
        let dir = Path::new(pf.path.as_ref())
            .parent()
            .map(normalize)
            .unwrap_or_else(|| PathBuf::from("."));
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        TgFile {
            l,
            pf,
            dir,
            unit_dir,
            include_dir: None,
            includes: BTreeMap::new(),
            inherited_deps: BTreeMap::new(),
            deps: RefCell::new(None),
            locals: RefCell::new(HashMap::new()),
            depth,
        }
    }

    fn body(&self) -> &Body {
        &self.pf.body
    }

    fn ev(&self, kind: OriginKind) -> Ev<'_> {
        Ev::new(self.pf.id, kind, self)
    }

    fn local(&self, name: &str) -> R {
        if let Some(slot) = self.locals.borrow().get(name) {
            return match slot {
                Some(v) => Ok(v.clone()),
                None => {
                    self.l.report_at(
                        &self.pf.id,
                        0,
                        format!("cycle: local.{name} depends on itself"),
                    );
                    err("cycle")
                }
            };
        }
        let Some(a) = self
            .body()
            .blocks_of("locals")
            .flat_map(|b| b.body.attrs.iter())
            .filter(|a| a.name == name)
            .last()
        else {
            return err(format!("reference to undeclared local value `{name}`"));
        };
        self.locals.borrow_mut().insert(name.to_string(), None);
        let v = self
            .ev(OriginKind::Local)
            .eval(&a.expr, &Scope::root())
            .unwrap_or_else(|e| {
                self.l.diag_at(&self.pf.id, a.sp.start, e.0);
                Value::unknown()
            });
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Some(v.clone()));
        Ok(v)
    }

    fn all_locals(&self) -> Value {
        let names: Vec<String> = self
            .body()
            .blocks_of("locals")
            .flat_map(|b| b.body.attrs.iter().map(|a| a.name.clone()))
            .collect();
        let mut m = BTreeMap::new();
        for n in names {
            let v = self.local(&n).unwrap_or_else(|_| Value::unknown());
            m.insert(n, v);
        }
        Value::object(m)
    }

    fn dependencies(&self) -> BTreeMap<String, Value> {
        if let Some(d) = self.deps.borrow().as_ref() {
            return d.clone();
        }
        // Mark as being computed (a dependency referring to dependencies is a cycle).
        *self.deps.borrow_mut() = Some(BTreeMap::new());
        let mut out = self.inherited_deps.clone();
        let ev = self.ev(OriginKind::Literal);
        for b in self.body().blocks_of("dependency") {
            let Some(name) = b.labels.first() else {
                continue;
            };
            let mut m = BTreeMap::new();
            for a in &b.body.attrs {
                let v = ev
                    .eval(&a.expr, &Scope::root())
                    .unwrap_or_else(|_| Value::unknown());
                m.insert(a.name.clone(), v);
            }
            let outputs = match m.get("mock_outputs") {
                Some(v) if !v.is_null() => unknown_for_null(v.clone()),
                _ => Value::unknown(),
            };
            m.insert("outputs".to_string(), outputs);
            out.insert(name.clone(), Value::object(m));
        }
        *self.deps.borrow_mut() = Some(out.clone());
        out
    }

    /// The unit's `terragrunt.values.hcl` (written by `terragrunt stack generate`), evaluated as
    /// plain attributes; `None` when there is none.
    fn values(&self) -> Option<Value> {
        let path = self.unit_dir.join("terragrunt.values.hcl");
        if !path.is_file() {
            return None;
        }
        let pf = self.l.file(&path)?;
        let ev = Ev::new(pf.id, OriginKind::TerragruntInput, &super::eval::NoNames);
        let mut m = BTreeMap::new();
        for a in &pf.body.attrs {
            m.insert(
                a.name.clone(),
                ev.eval(&a.expr, &Scope::root())
                    .unwrap_or_else(|_| Value::unknown()),
            );
        }
        Some(Value::object(m))
    }

    /// Evaluates the whole file into a configuration object.
    fn config(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("locals".to_string(), self.all_locals());
        for a in &self.body().attrs {
            let v = if a.name == "inputs" {
                self.inputs(a)
            } else {
                self.ev(OriginKind::Literal)
                    .eval(&a.expr, &Scope::root())
                    .unwrap_or_else(|e| {
                        self.l.diag_at(&self.pf.id, a.sp.start, e.0);
                        Value::unknown()
                    })
            };
            m.insert(a.name.clone(), v);
        }
        let deps = self.dependencies();
        if !deps.is_empty() {
            m.insert("dependency".to_string(), Value::object(deps));
        }
        let ev = self.ev(OriginKind::Literal);
        for b in &self.body().blocks {
            match b.ty.as_str() {
                "locals" | "dependency" | "include" => {}
                "generate" => {
                    let Some(name) = b.labels.first() else {
                        continue;
                    };
                    let mut obj = self.block_obj(&b.body, &ev);
                    // Where a finding in the file it writes is shown (that file is not on disk).
                    obj.origins = vec![origin(&self.pf.id, b.sp, OriginKind::Literal)];
                    let entry = m
                        .entry("generate".to_string())
                        .or_insert_with(|| Value::object(BTreeMap::new()));
                    if let Some(g) = entry.kind.object_mut() {
                        g.insert(name.clone(), obj);
                    }
                }
                _ => {
                    let obj = self.block_obj(&b.body, &ev);
                    m.insert(b.ty.clone(), obj);
                }
            }
        }
        Value::object(m)
    }

    fn block_obj(&self, body: &Body, ev: &Ev<'_>) -> Value {
        let mut m = BTreeMap::new();
        for a in &body.attrs {
            let v = ev
                .eval(&a.expr, &Scope::root())
                .unwrap_or_else(|_| Value::unknown());
            m.insert(a.name.clone(), v);
        }
        for b in &body.blocks {
            let obj = self.block_obj(&b.body, ev);
            let entry = m
                .entry(b.ty.clone())
                .or_insert_with(|| Value::list(Vec::new()));
            if let Some(items) = entry.kind.list_mut() {
                items.push(obj);
            }
        }
        let mut v = Value::object(m);
        v.origins
            .push(origin(&self.pf.id, Sp::default(), OriginKind::Literal));
        v.origins.clear();
        v
    }

    /// `inputs`: every key carries the span of its entry, so a finding points at the line.
    fn inputs(&self, a: &super::ast::Attr) -> Value {
        let ev = self.ev(OriginKind::TerragruntInput);
        let root = Scope::root();
        let attr_origin = origin(&self.pf.id, a.sp, OriginKind::TerragruntInput);
        let mut v = match &a.expr.k {
            E::Object(items) => {
                let mut m = BTreeMap::new();
                for (k, x) in items {
                    let key = match &k.k {
                        E::Var(n) => n.clone(),
                        _ => match ev.eval(k, &root).ok().and_then(|kv| to_str(&kv).ok()) {
                            Some(s) => s,
                            None => continue,
                        },
                    };
                    let mut val = ev.eval(x, &root).unwrap_or_else(|_| Value::unknown());
                    let o = origin(
                        &self.pf.id,
                        Sp {
                            start: k.sp.start,
                            end: x.sp.end,
                        },
                        OriginKind::TerragruntInput,
                    );
                    if !val.origins.contains(&o) {
                        val.origins.insert(0, o);
                        val.origins.truncate(MAX_ORIGINS);
                    }
                    m.insert(key, val);
                }
                Value::object(m)
            }
            _ => ev.eval(&a.expr, &root).unwrap_or_else(|_| Value::unknown()),
        };
        if let Some(m) = v.kind.object_mut() {
            for val in m.values_mut() {
                if !val
                    .origins
                    .iter()
                    .any(|o| o.kind == OriginKind::TerragruntInput)
                {
                    val.origins.insert(0, attr_origin.clone());
                    val.origins.truncate(MAX_ORIGINS);
                }
            }
        }
        v
    }

    fn read_config(&self, path: &Path) -> Option<Value> {
        if self.depth >= MAX_INCLUDE_DEPTH || !path.is_file() {
            return None;
        }
        let pf = self.l.file(path)?;
        let f = TgFile::new(self.l, pf, self.unit_dir.clone(), self.depth + 1);
        Some(f.config())
    }

    fn resolve_path(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() {
            rel(path)
        } else {
            normalize(&self.dir.join(path))
        }
    }

    /// Terragrunt's search, stopped at the repository root: what is above it is not looked at.
    fn find_in_parent_folders(&self, name: &str) -> Option<PathBuf> {
        let start = abs(&self.unit_dir);
        let root = self.l.root_of(&start)?;
        let mut dir = start.parent().map(Path::to_path_buf);
        while let Some(d) = dir {
            if !d.starts_with(&root) {
                return None;
            }
            let candidate = d.join(name);
            if self.l.allows(&candidate) && candidate.is_file() {
                return Some(candidate);
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        None
    }

    fn repo_root(&self) -> Option<PathBuf> {
        let mut dir = Some(abs(&self.unit_dir));
        while let Some(d) = dir {
            if d.join(".git").exists() {
                return Some(d);
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        None
    }
}

impl Resolver for TgFile<'_> {
    fn root(
        &self,
        _ev: &Ev<'_>,
        name: &str,
        ops: &[Op],
        _scope: &Scope<'_>,
    ) -> Result<Option<Resolved>, EvalError> {
        let attr = |i: usize| match ops.get(i) {
            Some(Op::Attr(n)) => Some(n.as_str()),
            _ => None,
        };
        match name {
            "local" => {
                let Some(n) = attr(0) else {
                    return err("`local` must be followed by a name");
                };
                Ok(Some(Resolved {
                    value: std::rc::Rc::new(self.local(n)?),
                    consumed: 1,
                    lenient: false,
                }))
            }
            "include" => {
                // Bare `include` exposes as `include.<attr>`; labelled ones as `include.<name>`.
                if let Some(n) = attr(0) {
                    if let Some(v) = self.includes.get(n) {
                        return Ok(Some(Resolved {
                            value: std::rc::Rc::new(v.clone()),
                            consumed: 1,
                            lenient: true,
                        }));
                    }
                }
                match self.includes.get("") {
                    Some(v) => Ok(Some(Resolved {
                        value: std::rc::Rc::new(v.clone()),
                        consumed: 0,
                        lenient: true,
                    })),
                    None => Ok(Some(Resolved {
                        value: std::rc::Rc::new(Value::unknown()),
                        consumed: 0,
                        lenient: true,
                    })),
                }
            }
            "dependency" => Ok(Some(Resolved {
                value: std::rc::Rc::new(Value::object(self.dependencies())),
                consumed: 0,
                lenient: true,
            })),
            // `values.*` of a unit generated by a stack: `terragrunt.values.hcl` beside it.
            "values" => Ok(Some(match self.values() {
                // A key the file does not set is an error (so `try` falls back), as in Terragrunt.
                Some(value) => Resolved {
                    value: std::rc::Rc::new(value),
                    consumed: 0,
                    lenient: false,
                },
                None => Resolved {
                    value: std::rc::Rc::new(Value::unknown()),
                    consumed: 0,
                    lenient: true,
                },
            })),
            "feature" => Ok(Some(Resolved {
                value: std::rc::Rc::new(Value::unknown()),
                consumed: 0,
                lenient: true,
            })),
            _ => Ok(None),
        }
    }

    fn func(&self, ev: &Ev<'_>, at: usize, name: &str, args: &[Value]) -> Option<R> {
        let refs: Vec<&Value> = args.iter().collect();
        if matches!(name, "read_terragrunt_config" | "read_tfvars_file") {
            if let Some(p) = args.first().and_then(|v| to_str(v).ok()) {
                if !self.l.allows(&self.resolve_path(&p)) {
                    self.l.refuse(&self.pf.id, at, name, &args[0]);
                    return Some(Ok(unknown_from(&refs)));
                }
            }
        }
        let s = |i: usize| args.get(i).and_then(|v| to_str(v).ok());
        let out = |k: Kind| Some(Ok(derive(k, &refs)));
        let unit_abs = abs(&self.unit_dir);
        let include_dir = self
            .include_dir
            .clone()
            .unwrap_or_else(|| self.unit_dir.clone());
        match name {
            "find_in_parent_folders" => {
                let target = s(0).unwrap_or_else(|| "terragrunt.hcl".to_string());
                match self.find_in_parent_folders(&target) {
                    Some(p) => out(Kind::String(path_str(&p))),
                    None => match args.get(1) {
                        Some(d) => Some(Ok(d.clone())),
                        None => Some(err(format!(
                            "find_in_parent_folders: `{}` not found in a parent folder inside the repository root",
                            target.replace('`', "'")
                        ))),
                    },
                }
            }
            "path_relative_to_include" => out(Kind::String(super::module::relative(
                &abs(&include_dir),
                &unit_abs,
            ))),
            "path_relative_from_include" => out(Kind::String(super::module::relative(
                &unit_abs,
                &abs(&include_dir),
            ))),
            "get_terragrunt_dir" | "get_original_terragrunt_dir" => {
                out(Kind::String(path_str(&unit_abs)))
            }
            "get_parent_terragrunt_dir" => out(Kind::String(path_str(&abs(&include_dir)))),
            "get_repo_root" => match self.repo_root() {
                Some(r) => out(Kind::String(path_str(&r))),
                None => Some(Ok(unknown_from(&refs))),
            },
            "get_path_from_repo_root" => match self.repo_root() {
                Some(r) => out(Kind::String(super::module::relative(&r, &unit_abs))),
                None => Some(Ok(unknown_from(&refs))),
            },
            "get_path_to_repo_root" => match self.repo_root() {
                Some(r) => out(Kind::String(super::module::relative(&unit_abs, &r))),
                None => Some(Ok(unknown_from(&refs))),
            },
            "get_env" => {
                let var = s(0).unwrap_or_default();
                let from_env = if self.l.opts.env_vars {
                    std::env::var(&var).ok()
                } else {
                    None
                };
                match (from_env, args.get(1)) {
                    (Some(v), _) => out(Kind::String(v)),
                    (None, Some(d)) => Some(Ok(d.clone())),
                    (None, None) => Some(Ok(unknown_from(&refs))),
                }
            }
            "get_terraform_command" => out(Kind::String("plan".into())),
            "get_terraform_cli_args" => out(Kind::list(Vec::new())),
            "get_platform" => out(Kind::String("linux".into())),
            "get_terragrunt_source_cli_flag" => out(Kind::String(String::new())),
            "get_terraform_commands_that_need_vars" => out(Kind::list(
                [
                    "apply", "console", "destroy", "import", "plan", "push", "refresh",
                ]
                .iter()
                .map(|s| Value::string(*s))
                .collect(),
            )),
            "get_terraform_commands_that_need_locking" => out(Kind::list(
                [
                    "apply", "destroy", "import", "init", "plan", "refresh", "taint", "untaint",
                ]
                .iter()
                .map(|s| Value::string(*s))
                .collect(),
            )),
            "get_terraform_commands_that_need_input" => out(Kind::list(
                ["apply", "import", "init", "plan", "refresh"]
                    .iter()
                    .map(|s| Value::string(*s))
                    .collect(),
            )),
            "get_terraform_commands_that_need_parallelism" => out(Kind::list(
                ["apply", "plan", "destroy"]
                    .iter()
                    .map(|s| Value::string(*s))
                    .collect(),
            )),
            "mark_as_read" => Some(Ok(args.first().cloned().unwrap_or_default())),
            "mark_glob_as_read" => Some(Ok(args.first().cloned().unwrap_or_default())),
            "run_cmd"
            | "sops_decrypt_file"
            | "get_aws_account_id"
            | "get_aws_account_alias"
            | "get_aws_caller_identity_arn"
            | "get_aws_caller_identity_user_id"
            | "get_working_dir"
            | "constraint_check"
            | "get_default_retryable_errors" => Some(Ok(
                unknown_from(&refs).with_sensitive(name == "sops_decrypt_file")
            )),
            "read_terragrunt_config" => {
                let Some(p) = s(0) else {
                    return Some(Ok(unknown_from(&refs)));
                };
                match self.read_config(&self.resolve_path(&p)) {
                    Some(v) => Some(Ok(v)),
                    None => match args.get(1) {
                        Some(d) => Some(Ok(d.clone())),
                        None => Some(err("read_terragrunt_config: cannot read the file")),
                    },
                }
            }
            "read_tfvars_file" => {
                let Some(p) = s(0) else {
                    return Some(Ok(unknown_from(&refs)));
                };
                let Some(pf) = self.l.file(&self.resolve_path(&p)) else {
                    return Some(err("read_tfvars_file: cannot read the file"));
                };
                let tev = Ev::new(pf.id, OriginKind::Tfvars, &super::eval::NoNames);
                let mut m = BTreeMap::new();
                for a in &pf.body.attrs {
                    m.insert(
                        a.name.clone(),
                        tev.eval(&a.expr, &Scope::root())
                            .unwrap_or_else(|_| Value::unknown()),
                    );
                }
                let mut o = String::new();
                let v = Value::object(m);
                if to_json(&v, &mut o).is_ok() {
                    Some(Ok(Value::string(o)))
                } else {
                    Some(Ok(unknown_from(&refs)))
                }
            }
            "deep_merge" => {
                let mut acc = Value::object(BTreeMap::new());
                for a in args {
                    acc = deep_merge(acc, a.clone());
                }
                Some(Ok(acc))
            }
            _ => super::files::call(self.l, &self.unit_dir, ev, at, name, args),
        }
    }
}

fn deep_merge(a: Value, b: Value) -> Value {
    match (a.kind, b.kind) {
        (Kind::Object(x), Kind::Object(y)) => {
            let mut x = Arc::unwrap_or_clone(x);
            for (k, v) in Arc::unwrap_or_clone(y) {
                let merged = match x.remove(&k) {
                    Some(old) => deep_merge(old, v),
                    None => v,
                };
                x.insert(k, merged);
            }
            Value {
                kind: Kind::object(x),
                sensitive: a.sensitive || b.sensitive,
                secret: false,
                origins: b.origins,
            }
        }
        (Kind::List(x), Kind::List(y)) => {
            let mut x = Arc::unwrap_or_clone(x);
            x.extend(y.iter().cloned());
            Value {
                kind: Kind::list(x),
                sensitive: a.sensitive || b.sensitive,
                secret: false,
                origins: b.origins,
            }
        }
        (_, k) => Value {
            kind: k,
            sensitive: b.sensitive,
            secret: false,
            origins: b.origins,
        },
    }
}

fn shallow_merge(parent: Value, child: Value) -> Value {
    match (parent.kind, child.kind) {
        (Kind::Object(p), Kind::Object(c)) => {
            let mut p = Arc::unwrap_or_clone(p);
            for (k, v) in Arc::unwrap_or_clone(c) {
                if k == "inputs" {
                    let merged = match p.remove("inputs") {
                        Some(Value {
                            kind: Kind::Object(pi),
                            ..
                        }) => {
                            if let Kind::Object(ci) = v.kind {
                                let mut pi = Arc::unwrap_or_clone(pi);
                                pi.extend(Arc::unwrap_or_clone(ci));
                                Value::object(pi)
                            } else {
                                v
                            }
                        }
                        _ => v,
                    };
                    p.insert(k, merged);
                } else {
                    p.insert(k, v);
                }
            }
            Value::object(p)
        }
        (_, k) => Value::new(k),
    }
}

/// Evaluates a unit's `terragrunt.hcl` (with its includes).
pub(super) fn evaluate_unit(l: &Loader, dir: &Path) -> Option<Unit> {
    let path = if dir.join("terragrunt.hcl").is_file() {
        dir.join("terragrunt.hcl")
    } else {
        dir.join("terragrunt.hcl.json")
    };
    let pf = l.file(&path)?;
    let mut child = TgFile::new(l, pf.clone(), dir.to_path_buf(), 0);
    // Includes: evaluate each included file for this unit.
    let mut parents: Vec<(Value, String)> = Vec::new();
    let mut included: Vec<PathBuf> = Vec::new();
    let include_blocks: Vec<_> = pf.body.blocks_of("include").cloned().collect();
    for b in &include_blocks {
        let name = b.labels.first().cloned().unwrap_or_default();
        let ev = child.ev(OriginKind::Literal);
        let Some(pa) = b.body.attr("path") else {
            continue;
        };
        let p = match ev
            .eval(&pa.expr, &Scope::root())
            .ok()
            .and_then(|v| to_str(&v).ok())
        {
            Some(p) => p,
            None => {
                l.report_at(
                    &pf.id,
                    b.sp.start,
                    "include path could not be resolved".into(),
                );
                continue;
            }
        };
        let ipath = child.resolve_path(&p);
        if !l.allows(&ipath) {
            l.refuse(&pf.id, b.sp.start, "include", &Value::string(p));
            continue;
        }
        let Some(ipf) = l.file(&ipath) else {
            l.report_at(
                &pf.id,
                b.sp.start,
                format!("included file `{}` cannot be read", display(&ipath)),
            );
            continue;
        };
        included.push(abs(&ipath));
        let mut inc = TgFile::new(l, ipf, dir.to_path_buf(), 1);
        inc.include_dir = Some(inc.dir.clone());
        let cfg = inc.config();
        if child.include_dir.is_none() {
            child.include_dir = Some(inc.dir.clone());
        }
        let expose = b
            .body
            .attr("expose")
            .and_then(|a| a.expr.as_bool_lit())
            .unwrap_or(false);
        if expose || name.is_empty() {
            child.includes.insert(name.clone(), cfg.clone());
        }
        let strategy = b
            .body
            .attr("merge_strategy")
            .and_then(|a| a.expr.as_lit_str())
            .unwrap_or_else(|| "shallow".to_string());
        if strategy == "deep" {
            if let Some(deps) = cfg.get("dependency").as_object() {
                for (k, v) in deps {
                    child.inherited_deps.insert(k.clone(), v.clone());
                }
            }
        }
        parents.push((cfg, strategy));
    }
    let own = child.config();
    let mut merged = Value::object(BTreeMap::new());
    for (cfg, strategy) in parents {
        let mut cfg = cfg;
        if let Some(m) = cfg.kind.object_mut() {
            m.remove("locals");
        }
        merged = match strategy.as_str() {
            "no_merge" => merged,
            "deep" => deep_merge(merged, cfg),
            _ => shallow_merge(merged, cfg),
        };
    }
    let mut own_no_locals = own.clone();
    if let Some(m) = own_no_locals.kind.object_mut() {
        m.remove("locals");
    }
    let deep = include_blocks.iter().any(|b| {
        b.body
            .attr("merge_strategy")
            .and_then(|a| a.expr.as_lit_str())
            .as_deref()
            == Some("deep")
    });
    let merged = if deep {
        deep_merge(merged, own_no_locals)
    } else {
        shallow_merge(merged, own_no_locals)
    };

    let source_value = merged.path(&["terraform", "source"]);
    let source = source_value.as_str().map(str::to_string);
    let source_call = (source.is_some() || source_value.is_unknown()).then(|| {
        let block_at = pf
            .body
            .blocks_of("terraform")
            .next()
            .or_else(|| pf.body.blocks_of("include").next())
            .map(|b| origin(&pf.id, b.sp, OriginKind::Literal));
        let own_attr = pf
            .body
            .blocks_of("terraform")
            .find_map(|b| b.body.attr("source"))
            .map(|a| origin(&pf.id, a.sp, OriginKind::Literal));
        ModuleCall {
            address: "terraform.source".to_string(),
            source: source.as_deref().map(redact_url),
            version: None,
            // The unit's own `source = ...` line is where its ref is changed, even when the
            // address comes from an include; else where the value was written.
            location: own_attr
                .or_else(|| source_value.primary_origin().cloned())
                .or(block_at),
            input: InputKind::Hcl,
        }
    });
    let module_dir = match &source {
        Some(src) => match local_source(dir, src) {
            Some(m) if !l.allows(&m) => {
                let at = pf
                    .body
                    .blocks_of("terraform")
                    .next()
                    .or_else(|| pf.body.blocks_of("include").next())
                    .map(|b| b.sp.start)
                    .unwrap_or(0);
                l.refuse_with(
                    &pf.id,
                    at,
                    "terraform.source",
                    &Value::string(src.clone()),
                    "its resources are not checked, only the unit's inputs",
                );
                return Some(Unit {
                    included,
                    module_dir: None,
                    source: None,
                    source_call: None,
                    inputs: merged
                        .get("inputs")
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                    generated: Vec::new(),
                    file: pf.id,
                    sp: pf.body.attr("inputs").map(|a| a.sp).unwrap_or_default(),
                });
            }
            other => other,
        },
        None => {
            if list_dir(dir, is_tf).is_empty() {
                None
            } else {
                Some(normalize(dir))
            }
        }
    };
    if let (Some(src), None) = (&source, &module_dir) {
        // A warning, not an error: the unit's inputs are still resolved and checked. Shown at
        // the unit's own `terraform` block, else the include that brought the source in.
        let at = pf
            .body
            .blocks_of("terraform")
            .next()
            .or_else(|| pf.body.blocks_of("include").next())
            .map(|b| b.sp.start)
            .unwrap_or(0);
        l.report_once(
            &pf.id,
            at,
            format!(
                "terraform.source `{}` is not on disk (remote, not downloaded): its resources are not checked, only the unit's inputs",
                redact_url(src)
            ),
        );
    }
    let inputs = merged
        .get("inputs")
        .as_object()
        .cloned()
        .unwrap_or_default();
    // Generated files.
    let mut generated = Vec::new();
    if let Some(gens) = merged.get("generate").as_object() {
        for (name, g) in gens {
            if g.get("disable").as_bool() == Some(true) {
                continue;
            }
            let (Some(gpath), Some(contents)) =
                (g.get("path").as_str(), g.get("contents").as_str())
            else {
                continue;
            };
            if !is_tf(gpath) {
                continue;
            }
            let display_path: Arc<str> = Arc::from(display(&dir.join(gpath)).as_str());
            let generate = g
                .origins
                .first()
                .cloned()
                .unwrap_or_else(|| origin(&pf.id, Sp::default(), OriginKind::Literal));
            l.add_generated(display_path.clone(), Arc::from(contents), generate.clone());
            match super::ast::parse_native(contents) {
                Ok(body) => generated.push(Arc::new(ParsedFile {
                    id: FileId::intern(&display_path),
                    path: display_path,
                    text: Arc::from(contents),
                    body,
                })),
                // The generated file is not on disk: the error is at the block that writes it,
                // naming the line of its `contents` that does not parse (a snippet of the
                // contents under this file's name would show the wrong line).
                Err(e) => l.report_at(
                    &generate.file,
                    generate.start as usize,
                    format!(
                        "`{gpath}` written by `generate \"{name}\"` (fix its `contents` here): line {}: {}",
                        e.line, e.message
                    ),
                ),
            }
        }
    }
    let sp = pf.body.attr("inputs").map(|a| a.sp).unwrap_or_default();
    Some(Unit {
        included,
        module_dir,
        source,
        source_call,
        inputs,
        generated,
        file: pf.id,
        sp,
    })
}

/// Credentials in a URL never reach a message.
pub(crate) fn redact_url(s: &str) -> String {
    // Query parameters can carry credentials (go-getter's `sshkey=`): keep only the ones that
    // say which version is fetched (`ref=`, the registry's `version=`, an archive's `checksum=`).
    let (base, query) = match s.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (s, None),
    };
    let mut out = match base.find("://") {
        Some(scheme_end) => {
            let rest = &base[scheme_end + 3..];
            let authority_end = rest.find('/').unwrap_or(rest.len());
            // The last `@` of the authority ends the userinfo, even when a password holds `@`.
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{}://***{}", &base[..scheme_end], &rest[at..]),
                None => base.to_string(),
            }
        }
        None => base.to_string(),
    };
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| {
                p.starts_with("ref=") || p.starts_with("version=") || p.starts_with("checksum=")
            })
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}

/// A local `terraform.source` (`../modules//app`, `./mod`), relative to the unit.
fn local_source(unit: &Path, src: &str) -> Option<PathBuf> {
    let src = src.split('?').next().unwrap_or(src);
    if src.contains("::")
        || src.contains("://")
        || src.starts_with("git@")
        || src.starts_with("tfr:")
    {
        return None;
    }
    let (base, sub) = match src.find("//") {
        Some(i) => (&src[..i], Some(&src[i + 2..])),
        None => (src, None),
    };
    let base_path = Path::new(base);
    let mut dir = if base_path.is_absolute() {
        rel(base_path)
    } else {
        normalize(&unit.join(base))
    };
    if let Some(sub) = sub {
        dir = normalize(&dir.join(sub));
    }
    dir.is_dir().then_some(dir)
}

/// Builds the model of a unit: the module evaluated with the unit's inputs, or, when the module
/// is not on disk, the inputs as the module's variables.
pub(super) fn unit_model(l: &Loader, dir: &Path, unit: &Unit) -> (Model, Vec<String>) {
    let name = display(dir);
    match &unit.module_dir {
        Some(mdir) => {
            let mut files: Vec<Arc<ParsedFile>> = list_dir(mdir, is_tf)
                .iter()
                .filter_map(|p| l.file(p))
                .collect();
            if normalize(mdir) != normalize(dir) {
                files.extend(list_dir(dir, is_tf).iter().filter_map(|p| l.file(p)));
            }
            files.extend(unit.generated.iter().cloned());
            let cfg = Arc::new(super::config::ModuleConfig::build(mdir.clone(), &files));
            let mut base = Provided::new();
            for (k, v) in &unit.inputs {
                let Some(&i) = cfg.var_index.get(k) else {
                    continue;
                };
                let ty = cfg.variables[i].ty.as_ref();
                let v = if super::types::is_stringish(ty)
                    && matches!(v.kind, Kind::List(_) | Kind::Object(_))
                {
                    // Terragrunt passes inputs as TF_VAR_ JSON; untyped variables get the text.
                    let mut s = String::new();
                    match to_json(v, &mut s) {
                        Ok(()) => {
                            let mut out = derive(Kind::String(s), &[v]);
                            out.origins = v.origins.clone();
                            out
                        }
                        Err(_) => unknown_from(&[v]),
                    }
                } else {
                    v.clone()
                };
                base.insert(k.clone(), v);
            }
            let mut dirs = vec![mdir.clone()];
            if normalize(mdir) != normalize(dir) {
                dirs.push(dir.to_path_buf());
            }
            let (mut model, secrets) = l.eval_root(&name, cfg, &dirs, base);
            model.set_name(Arc::from(name.as_str()));
            model.extend_module_calls(unit.source_call.iter().cloned());
            (model, secrets)
        }
        None => {
            let variables = unit
                .inputs
                .iter()
                .map(|(k, v)| {
                    Variable::new(
                        k.clone(),
                        String::new(),
                        v.clone(),
                        false,
                        Some(origin(&unit.file, unit.sp, OriginKind::TerragruntInput)),
                    )
                })
                .collect();
            let _ = &unit.source;
            (
                Model::from(guard_policies::model::ModelParts {
                    name: Arc::from(name.as_str()),
                    input: Some(guard_policies::model::InputKind::Hcl),
                    resources: Vec::new(),
                    drift: Vec::new(),
                    outputs: Vec::new(),
                    variables,
                    providers: Vec::new(),
                    module_calls: unit.source_call.iter().cloned().collect(),
                    plan: None,
                    not_downloaded: Vec::new(),
                }),
                Vec::new(),
            )
        }
    }
}

/// Mock outputs stand in for a dependency's outputs until it is applied. A `null` mock is a
/// placeholder (`kms_key_arn = null` so that `plan` runs), not the dependency's value: it is
/// unknown, so a policy says "cannot confirm" instead of "not set".
fn unknown_for_null(mut v: Value) -> Value {
    match &mut v.kind {
        Kind::Null => {
            let mut u = Value::unknown();
            u.origins = std::mem::take(&mut v.origins);
            u.sensitive = v.sensitive;
            u
        }
        Kind::List(items) => {
            for item in Arc::make_mut(items).iter_mut() {
                *item = unknown_for_null(std::mem::take(item));
            }
            v
        }
        Kind::Object(map) => {
            for item in Arc::make_mut(map).values_mut() {
                *item = unknown_for_null(std::mem::take(item));
            }
            v
        }
        _ => v,
    }
}

//! Evaluating one module instance: variables, locals, resources, data sources, module calls and
//! outputs, lazily and in dependency order, with cycles reported as errors.

use super::ast::Attr;
use super::ast::{Body, Expr, Op, Sp, E};
use super::config::{
    CallDecl, ModuleConfig, ResDecl, VarDecl, META_ATTRS, META_BLOCKS, PROVIDER_META_ATTRS,
};
use super::eval::{
    iter_pairs, unshare, Budget, Ev, NoNames, Resolved, Resolver, Scope, EACH_VALUE_IS_INSTANCE,
};
use super::types::convert;
use super::vals::*;
use super::{Loader, ModuleSource};
use guard_policies::model::{
    InputKind, Mode, ModuleCall, Output, Provider, Reference, Resource, ResourceParts, Variable,
};
use guard_policies::{Builder, FileId};
use guard_policies::{Kind, Origin, OriginKind, Value};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::{Rc, Weak};
use std::sync::Arc;

/// What a module instance (and everything below it) produced.
#[derive(Default, Debug)]
pub(super) struct Collected {
    pub resources: Vec<Resource>,
    pub outputs: Vec<Output>,
    pub variables: Vec<Variable>,
    pub providers: Vec<Provider>,
    pub module_calls: Vec<ModuleCall>,
    pub secrets: Vec<String>,
    /// Module calls whose source is not available, with their blocks.
    pub not_downloaded: Vec<(String, Origin)>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Key {
    Var(usize),
    Local(usize),
    Res(usize),
    /// A module call's `count`/`for_each` and its instances.
    Call(usize),
    Output(usize),
}

enum Slot {
    Busy,
    /// Shared: every reference reads it in place and copies only what it selects.
    Done(Rc<Value>),
}

/// A memoized node's value, shared with every reference to it.
type Shared = Result<Rc<Value>, EvalError>;

/// A value given to a variable, with where it came from.
pub(super) type Provided = BTreeMap<String, Value>;

/// Where a module instance's variables get their values.
pub(super) enum VarSource<'l> {
    /// The root module: tfvars, `-var`, Terragrunt inputs, already evaluated.
    Given(Provided),
    /// A child module: the arguments of the calling `module` block, evaluated when a variable
    /// is first read, in the caller's scope of this instance (`count.index`, `each`).
    Caller {
        parent: Weak<Inst<'l>>,
        call: usize,
        scope: Vec<(String, Value)>,
    },
}

/// A module instance. Every variable, local, resource, module-call output and output is its
/// own node, evaluated when first read, as in Terraform's graph: output `a` of `module.x` may
/// depend on an argument of `module.x` that reads its output `b`.
pub(super) struct Inst<'l> {
    pub l: &'l Loader,
    pub cfg: Arc<ModuleConfig>,
    /// `module.a["k"].module.b`, empty for the root.
    pub addr: String,
    /// Dotted call path for modules.json (`a.b`), empty for the root.
    pub key_path: String,
    pub root_dir: PathBuf,
    pub chain: Vec<Origin>,
    /// Directories of the modules above, to stop a module that calls itself.
    pub ancestors: Vec<PathBuf>,
    /// This instance, for the children it creates to reach back for their arguments.
    me: Weak<Inst<'l>>,
    vars_from: VarSource<'l>,
    memo: RefCell<HashMap<Key, Slot>>,
    resources: RefCell<Vec<Option<Vec<Resource>>>>,
    /// Each module call's instances, created on first use.
    calls: RefCell<Vec<Option<Rc<CallState<'l>>>>>,
    children: RefCell<Vec<Option<Collected>>>,
    extra_vars: RefCell<Vec<Variable>>,
}

/// The instances of one module call.
struct CallState<'l> {
    /// False when `count`/`for_each` is unknown: one stand-in instance is evaluated, with an
    /// unknown `count.index`/`each`, and every output reads as unknown.
    expanded: bool,
    insts: Vec<CallInst<'l>>,
}

struct CallInst<'l> {
    key: String,
    index: Option<IndexKey>,
    scope: Vec<(String, Value)>,
    /// `None` when the module's source is not available (or it calls itself).
    child: Option<Rc<Inst<'l>>>,
}

thread_local! {
    /// How many evaluations of a whole module call (`module.x` as one value, `module.x[*]`)
    /// are under way: a cycle met inside one may be an artefact of reading every output at
    /// once, so it is a warning there, not an input error.
    static WHOLE_CALLS: Cell<usize> = const { Cell::new(0) };
}

struct WholeCall;
impl WholeCall {
    fn enter() -> WholeCall {
        WHOLE_CALLS.with(|c| c.set(c.get() + 1));
        WholeCall
    }
}
impl Drop for WholeCall {
    fn drop(&mut self) {
        WHOLE_CALLS.with(|c| c.set(c.get().saturating_sub(1)));
    }
}

const MAX_MODULE_DEPTH: usize = 16;

/// Resource types whose attributes the provider schema marks `Sensitive`. Only the schema
/// decides: `random_string.result`, `aws_iam_access_key.encrypted_secret` (PGP ciphertext) and
/// `aws_instance.password_data` (encrypted) are not sensitive to Terraform, whatever their names.
fn sensitive_computed(ty: &str) -> &'static [&'static str] {
    match ty {
        "random_password" => &["result", "bcrypt_hash"],
        "aws_iam_access_key" => &["secret", "ses_smtp_password_v4"],
        "tls_private_key" => &[
            "private_key_pem",
            "private_key_openssh",
            "private_key_pem_pkcs8",
        ],
        "aws_iam_user_login_profile" => &["password"],
        "aws_iam_service_specific_credential" => &["service_password"],
        "google_service_account_key" => &["private_key"],
        "azuread_application_password" | "azuread_service_principal_password" => &["value"],
        "aws_secretsmanager_secret_version" => &["secret_string", "secret_binary"],
        "kubernetes_secret" | "kubernetes_secret_v1" => &["data", "binary_data"],
        "aws_db_instance" | "aws_rds_cluster" | "aws_docdb_cluster" => {
            &["password", "master_password"]
        }
        "aws_elasticache_replication_group" => &["auth_token"],
        "google_sql_user" => &["password"],
        "azurerm_kubernetes_cluster" => &[
            "kube_config_raw",
            "kube_admin_config_raw",
            "kube_config",
            "kube_admin_config",
        ],
        "azurerm_storage_account" => &[
            "primary_access_key",
            "secondary_access_key",
            "primary_connection_string",
            "secondary_connection_string",
        ],
        _ => &[],
    }
}

impl<'l> Inst<'l> {
    /// The root module instance, with its variables' values.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        l: &'l Loader,
        cfg: Arc<ModuleConfig>,
        addr: String,
        key_path: String,
        root_dir: PathBuf,
        chain: Vec<Origin>,
        ancestors: Vec<PathBuf>,
        provided: Provided,
    ) -> Rc<Inst<'l>> {
        Inst::build(
            l,
            cfg,
            addr,
            key_path,
            root_dir,
            chain,
            ancestors,
            VarSource::Given(provided),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        l: &'l Loader,
        cfg: Arc<ModuleConfig>,
        addr: String,
        key_path: String,
        root_dir: PathBuf,
        chain: Vec<Origin>,
        ancestors: Vec<PathBuf>,
        vars_from: VarSource<'l>,
    ) -> Rc<Inst<'l>> {
        let n_res = cfg.resources.len();
        let n_calls = cfg.calls.len();
        Rc::new_cyclic(|me| Inst {
            l,
            cfg,
            addr,
            key_path,
            root_dir,
            chain,
            ancestors,
            me: me.clone(),
            vars_from,
            memo: RefCell::new(HashMap::new()),
            resources: RefCell::new((0..n_res).map(|_| None).collect()),
            calls: RefCell::new((0..n_calls).map(|_| None).collect()),
            children: RefCell::new((0..n_calls).map(|_| None).collect()),
            extra_vars: RefCell::new(Vec::new()),
        })
    }

    /// A variable's value: what the caller gave (evaluated now, in the caller), with the
    /// declaration applied: type conversion, default, `nullable`, sensitivity. A variable
    /// with no value at all is unknown.
    fn var(&self, i: usize) -> Shared {
        let d = &self.cfg.variables[i];
        match self.memo_get(Key::Var(i)) {
            Some(Ok(v)) => return Ok(v),
            Some(Err(())) => {
                let what = self.node_name(&format!("var.{}", d.name));
                // Point at the argument a person edits, in the calling `module` block.
                let at = match &self.vars_from {
                    VarSource::Caller { parent, call, .. } => parent.upgrade().and_then(|p| {
                        let c = &p.cfg.calls[*call];
                        let a = c.args.iter().rev().find(|a| a.name == d.name)?;
                        Some((c.file, a.sp))
                    }),
                    VarSource::Given(_) => None,
                };
                let (file, sp) = at.unwrap_or((d.file, d.sp));
                return Err(self.cycle(&file, sp, &what));
            }
            None => {}
        }
        self.memo.borrow_mut().insert(Key::Var(i), Slot::Busy);
        let given = match &self.vars_from {
            VarSource::Given(provided) => provided.get(&d.name).cloned(),
            VarSource::Caller {
                parent,
                call,
                scope,
            } => parent
                .upgrade()
                .and_then(|p| p.call_argument(*call, scope, &d.name)),
        };
        let v = Rc::new(resolve_var(d, given));
        self.memo
            .borrow_mut()
            .insert(Key::Var(i), Slot::Done(v.clone()));
        Ok(v)
    }

    /// `what` inside this instance: `module.x.output.a`, or `output.a` in the root.
    fn node_name(&self, what: &str) -> String {
        if self.addr.is_empty() {
            what.to_string()
        } else {
            format!("{}.{what}", self.addr)
        }
    }

    fn ev(&self, file: &FileId, kind: OriginKind) -> Ev<'_> {
        Ev::new(*file, kind, self)
    }

    /// A node needed while it is being evaluated. Every node is as fine-grained as in
    /// Terraform's graph, so this is a cycle Terraform rejects too, and an input error;
    /// except inside the evaluation of a whole module call, where it may be an artefact of
    /// reading all of its outputs at once, and the value is left unknown with a warning.
    fn cycle(&self, file: &FileId, sp: Sp, what: &str) -> EvalError {
        if WHOLE_CALLS.with(Cell::get) > 0 {
            self.l.diag_at(
                file,
                sp.start,
                format!("{what} is needed while evaluating a whole module call that depends on it; left unknown"),
            );
            return EvalError(format!("cycle through {what}"));
        }
        self.l
            .report_at(file, sp.start, format!("cycle: {what} depends on itself"));
        EvalError(format!("cycle through {what}"))
    }

    /// Evaluates everything and returns what this instance and its children produced.
    pub(super) fn run(&self) -> Collected {
        for i in 0..self.cfg.variables.len() {
            let _ = self.var(i);
        }
        for i in 0..self.cfg.locals.len() {
            let _ = self.local(i);
        }
        for i in 0..self.cfg.resources.len() {
            let _ = self.resource(i);
        }
        for i in 0..self.cfg.calls.len() {
            self.collect_call(i);
        }
        let mut c = Collected::default();
        for r in self.resources.borrow_mut().iter_mut() {
            c.resources.extend(r.take().unwrap_or_default());
        }
        for (j, d) in self.cfg.outputs.iter().enumerate() {
            let value = self.output(j).map_or_else(|_| Value::unknown(), unshare);
            c.outputs.push(Output::new(
                d.name.clone(),
                self.addr.clone(),
                value,
                Some(d.sensitive),
                Some(origin(&d.file, d.sp, OriginKind::Literal)),
                InputKind::Hcl,
            ));
        }
        for (i, d) in self.cfg.variables.iter().enumerate() {
            let value = self.var(i).map(unshare).unwrap_or_default();
            if d.sensitive {
                value.walk_strings(&mut Vec::new(), &mut |_, _, s| {
                    c.secrets.push(s.to_string())
                });
            }
            c.variables.push(Variable::new(
                d.name.clone(),
                self.addr.clone(),
                value,
                d.sensitive,
                Some(origin(&d.file, d.sp, OriginKind::VariableDefault)),
            ));
        }
        c.variables.extend(self.extra_vars.borrow_mut().drain(..));
        for d in &self.cfg.providers {
            let ev = self.ev(&d.file, OriginKind::Literal);
            let mut values = self.eval_body(&d.body, &ev, &Scope::root(), false);
            if let Some(map) = values.kind.object_mut() {
                map.retain(|k, _| !PROVIDER_META_ATTRS.contains(&k.as_str()));
            }
            c.providers.push(Provider::new(
                d.name.clone(),
                d.alias.clone(),
                self.addr.clone(),
                values,
                Some(origin(&d.file, d.sp, OriginKind::Literal)),
            ));
        }
        for child in self.children.borrow_mut().iter_mut() {
            if let Some(child) = child.take() {
                c.resources.extend(child.resources);
                c.outputs.extend(child.outputs);
                c.variables.extend(child.variables);
                c.providers.extend(child.providers);
                c.module_calls.extend(child.module_calls);
                c.secrets.extend(child.secrets);
                c.not_downloaded.extend(child.not_downloaded);
            }
        }
        c
    }

    /// An expression that could not be evaluated becomes unknown, with a warning at `file` and
    /// the offset of the expression (or block) it came from.
    /// A resource-exhaustion error is an input error instead: the value is unknown, and the
    /// run fails naming the file.
    fn soft(&self, e: EvalError, file: &FileId, at: Sp) -> Value {
        if e.is_limit() {
            self.l.report_at(file, at.start, e.0);
        } else {
            self.l.diag_at(file, at.start, e.0);
        }
        Value::unknown()
    }

    fn memo_get(&self, key: Key) -> Option<Result<Rc<Value>, ()>> {
        match self.memo.borrow().get(&key) {
            Some(Slot::Done(v)) => Some(Ok(v.clone())),
            Some(Slot::Busy) => Some(Err(())),
            None => None,
        }
    }

    fn local(&self, i: usize) -> Shared {
        let d = &self.cfg.locals[i];
        match self.memo_get(Key::Local(i)) {
            Some(Ok(v)) => return Ok(v),
            Some(Err(())) => return Err(self.cycle(&d.file, d.sp, &format!("local.{}", d.name))),
            None => {}
        }
        self.memo.borrow_mut().insert(Key::Local(i), Slot::Busy);
        // Its own allowance, whoever asked for it first.
        let _budget = Budget::fresh();
        let ev = self.ev(&d.file, OriginKind::Local);
        let r = ev.eval(&d.expr, &Scope::root());
        let v = match r {
            Ok(v) => v,
            Err(e) => self.soft(e, &d.file, d.expr.sp),
        };
        let v = Rc::new(v);
        self.memo
            .borrow_mut()
            .insert(Key::Local(i), Slot::Done(v.clone()));
        Ok(v)
    }

    /// An output's value, evaluated on its own: reading one output of a module evaluates
    /// only what that output depends on.
    fn output(&self, j: usize) -> Shared {
        let d = &self.cfg.outputs[j];
        match self.memo_get(Key::Output(j)) {
            Some(Ok(v)) => return Ok(v),
            Some(Err(())) => {
                let what = self.node_name(&format!("output.{}", d.name));
                return Err(self.cycle(&d.file, d.sp, &what));
            }
            None => {}
        }
        self.memo.borrow_mut().insert(Key::Output(j), Slot::Busy);
        let _budget = Budget::fresh();
        let ev = self.ev(&d.file, OriginKind::Literal);
        let mut value = match &d.expr {
            Some(e) => ev
                .eval(e, &Scope::root())
                .unwrap_or_else(|err| self.soft(err, &d.file, e.sp)),
            None => Value::null(),
        };
        if d.sensitive {
            value.sensitive = true;
        }
        let value = Rc::new(value);
        self.memo
            .borrow_mut()
            .insert(Key::Output(j), Slot::Done(value.clone()));
        Ok(value)
    }

    /// The output called `name`; unknown when the module declares none (Terraform's error,
    /// reported by Terraform).
    fn output_named(&self, name: &str) -> R {
        match self.cfg.outputs.iter().position(|o| o.name == name) {
            Some(j) => self.output(j).map(unshare),
            None => Ok(Value::unknown()),
        }
    }

    /// Every output, as the object `module.x` is.
    fn all_outputs(&self) -> Value {
        let mut outs = BTreeMap::new();
        for (j, d) in self.cfg.outputs.iter().enumerate() {
            // A cycle was reported where it was met; the rest of the object stays usable.
            let v = self.output(j).map_or_else(|_| Value::unknown(), unshare);
            outs.insert(d.name.clone(), v);
        }
        Value::object(outs)
    }

    /// Expands `count`/`for_each` into instance keys: `None` when unknown.
    fn expand(
        &self,
        count: Option<&Expr>,
        for_each: Option<&Expr>,
        ev: &Ev<'_>,
    ) -> Result<Option<Vec<Inst1>>, EvalError> {
        let root = Scope::root();
        if let Some(c) = count {
            let v = ev.eval(c, &root)?;
            if v.is_unknown() || v.is_null() {
                return Ok(None);
            }
            let n = to_num(&v)?;
            if n < 0.0 || n.fract() != 0.0 {
                return err("count must be a whole, non-negative number");
            }
            let n = (n as usize).min(10_000);
            return Ok(Some(
                (0..n)
                    .map(|i| Inst1 {
                        key: format!("[{i}]"),
                        vars: vec![(
                            "count".to_string(),
                            Value::object(BTreeMap::from([(
                                "index".to_string(),
                                Value::number(i as f64),
                            )])),
                        )],
                        index: Some(IndexKey::Num(i)),
                    })
                    .collect(),
            ));
        }
        if let Some(f) = for_each {
            let v = ev.eval(f, &root)?;
            let of_instances = ev.is_lenient_reference(f, &root);
            if v.contains_unknown() && !matches!(&v.kind, Kind::Object(_)) {
                return Ok(None);
            }
            if v.is_null() {
                return Ok(None);
            }
            let pairs: Vec<(String, Value)> = match &v.kind {
                Kind::Object(map) => map.iter().map(|(k, x)| (k.clone(), x.clone())).collect(),
                Kind::List(items) => {
                    let mut out = Vec::new();
                    for i in items.iter() {
                        out.push((to_str(i)?, i.clone()));
                    }
                    out.sort_by(|a, b| a.0.cmp(&b.0));
                    out.dedup_by(|a, b| a.0 == b.0);
                    out
                }
                _ => return err("for_each must be a map or a set of strings"),
            };
            return Ok(Some(
                pairs
                    .into_iter()
                    .map(|(k, mut x)| {
                        if v.sensitive {
                            x.sensitive = true;
                        }
                        let mut vars = vec![(
                            "each".to_string(),
                            Value::object(BTreeMap::from([
                                ("key".to_string(), Value::string(k.clone())),
                                ("value".to_string(), x),
                            ])),
                        )];
                        if of_instances {
                            vars.push((EACH_VALUE_IS_INSTANCE.to_string(), Value::bool(true)));
                        }
                        Inst1 {
                            key: format!("[{}]", quote(&k)),
                            vars,
                            index: Some(IndexKey::Str(k)),
                        }
                    })
                    .collect(),
            ));
        }
        Ok(Some(vec![Inst1 {
            key: String::new(),
            vars: Vec::new(),
            index: None,
        }]))
    }

    fn resource(&self, i: usize) -> Shared {
        let d = &self.cfg.resources[i];
        let what = match d.mode {
            Mode::Managed => format!("{}.{}", d.ty, d.name),
            Mode::Data => format!("data.{}.{}", d.ty, d.name),
        };
        match self.memo_get(Key::Res(i)) {
            Some(Ok(v)) => return Ok(v),
            Some(Err(())) => return Err(self.cycle(&d.file, d.sp, &what)),
            None => {}
        }
        self.memo.borrow_mut().insert(Key::Res(i), Slot::Busy);
        // Its own allowance, whoever asked for it first.
        let _budget = Budget::fresh();
        let ev = self.ev(&d.file, OriginKind::Literal);
        let expanded = match self.expand(d.count.as_ref(), d.for_each.as_ref(), &ev) {
            Ok(x) => x,
            Err(e) => {
                self.soft(e, &d.file, d.sp);
                None
            }
        };
        let config_address = if self.addr.is_empty() {
            what.clone()
        } else {
            format!("{}.{}", strip_keys(&self.addr), what)
        };
        let prefix = if self.addr.is_empty() {
            String::new()
        } else {
            format!("{}.", self.addr)
        };
        let mut out = Vec::new();
        // Freezes from a borrowed tree, so an instance's tree can go on to be its reference
        // value without a copy.
        let make = |address: String, values: &Value, unknown: bool, references| {
            let mut builder = Builder::new();
            let root = builder.add(values);
            let parts = ResourceParts {
                address,
                mode: d.mode,
                resource_type: d.ty.clone(),
                name: d.name.clone(),
                module: self.addr.clone(),
                // Not read: the values are frozen into the store above.
                values: Value::null(),
                change: None,
                location: Some(origin(&d.file, d.sp, OriginKind::Literal)),
                module_calls: self.chain.clone(),
                instances_unknown: unknown,
                lifecycle: d.lifecycle.clone(),
                config_address: config_address.clone(),
                input: InputKind::Hcl,
                references,
            };
            Resource::from_store(parts, builder.finish(), root)
        };
        let reference = match expanded {
            None => {
                let scope_vars = vec![
                    (
                        "count".to_string(),
                        Value::object(BTreeMap::from([("index".to_string(), Value::unknown())])),
                    ),
                    (
                        "each".to_string(),
                        Value::object(BTreeMap::from([
                            ("key".to_string(), Value::unknown()),
                            ("value".to_string(), Value::unknown()),
                        ])),
                    ),
                ];
                let root = Scope::root();
                let scope = Scope::child(&root, scope_vars);
                let values = self.eval_body(&d.body, &ev, &scope, true);
                let references = self.references_of(d, &ev, &scope);
                out.push(make(format!("{prefix}{what}"), &values, true, references));
                Value::unknown()
            }
            Some(insts) => {
                // No expression names this resource: its trees are freed once frozen instead
                // of being kept (and freed at the end) as a reference value nobody reads.
                let referenced = self.cfg.may_be_referenced.get(i).copied().unwrap_or(true);
                let mut list = Vec::new();
                let mut map = BTreeMap::new();
                out.reserve_exact(insts.len());
                for inst in insts {
                    let root = Scope::root();
                    let scope = Scope::child(&root, inst.vars);
                    let mut values = self.eval_body(&d.body, &ev, &scope, true);
                    if d.mode == Mode::Data {
                        render_data(d, &mut values);
                    }
                    let references = self.references_of(d, &ev, &scope);
                    out.push(make(
                        format!("{prefix}{what}{}", inst.key),
                        &values,
                        false,
                        references,
                    ));
                    if !referenced {
                        continue;
                    }
                    let refv = reference_value(d, values);
                    match inst.index {
                        None => list.push(refv),
                        Some(IndexKey::Num(_)) => list.push(refv),
                        Some(IndexKey::Str(k)) => {
                            map.insert(k, refv);
                        }
                    }
                }
                if !referenced {
                    Value::unknown()
                } else if d.for_each.is_some() {
                    Value::object(map)
                } else if d.count.is_some() {
                    Value::list(list)
                } else {
                    list.pop().unwrap_or_default()
                }
            }
        };
        self.resources.borrow_mut()[i] = Some(out);
        let reference = Rc::new(reference);
        self.memo
            .borrow_mut()
            .insert(Key::Res(i), Slot::Done(reference.clone()));
        Ok(reference)
    }

    /// The managed resources of this module instance that a resource body's arguments refer to,
    /// with the instance index evaluated in the instance's scope (`aws_lb.x[each.key]`).
    fn references_of(&self, d: &ResDecl, ev: &Ev<'_>, scope: &Scope<'_>) -> Vec<Reference> {
        let mut out = Vec::new();
        self.collect_references(&d.body, "", ev, scope, &mut out);
        // `for_each = aws_lb.x` with `resource_arn = each.value.arn`: the instance of this key.
        let key = scope
            .get("each")
            .map(|e| e.get("key"))
            .and_then(Value::as_str);
        if let (Some(key), Some(E::Trav(base, ops))) = (key, d.for_each.as_ref().map(|f| &f.k)) {
            if let Some(whole) = self.direct_reference(base, ops, "", ev, scope) {
                if ops.len() == 1 {
                    let mut with_each = Vec::new();
                    self.each_value_attributes(&d.body, "", &mut with_each);
                    let instance = whole
                        .instance
                        .map(|address| format!("{address}[{}]", quote(key)));
                    for attribute in with_each {
                        out.push(Reference {
                            attribute,
                            block: whole.block.clone(),
                            instance: instance.clone(),
                        });
                    }
                }
            }
        }
        out
    }

    /// The arguments whose expression reads `each.value`.
    fn each_value_attributes(&self, body: &Body, path: &str, out: &mut Vec<String>) {
        for a in &body.attrs {
            if reads_each_value(&a.expr) {
                out.push(format!("{path}{}", a.name));
            }
        }
        for b in &body.blocks {
            if b.ty != "dynamic" && !META_BLOCKS.contains(&b.ty.as_str()) {
                self.each_value_attributes(&b.body, &format!("{path}{}.", b.ty), out);
            }
        }
    }

    fn collect_references(
        &self,
        body: &Body,
        path: &str,
        ev: &Ev<'_>,
        scope: &Scope<'_>,
        out: &mut Vec<Reference>,
    ) {
        for a in &body.attrs {
            if path.is_empty() && META_ATTRS.contains(&a.name.as_str()) {
                continue;
            }
            let attribute = format!("{path}{}", a.name);
            self.expr_references(&a.expr, &attribute, ev, scope, out, &mut Vec::new());
        }
        for b in &body.blocks {
            if path.is_empty() && META_BLOCKS.contains(&b.ty.as_str()) {
                continue;
            }
            // `dynamic "x" { content { ... } }` writes the arguments of block `x`.
            let (ty, inner) = match (b.ty.as_str(), b.labels.first()) {
                ("dynamic", Some(label)) => match b.body.blocks_of("content").next() {
                    Some(content) => (label.as_str(), &content.body),
                    None => continue,
                },
                _ => (b.ty.as_str(), &b.body),
            };
            self.collect_references(inner, &format!("{path}{ty}."), ev, scope, out);
        }
    }

    fn expr_references(
        &self,
        e: &Expr,
        attribute: &str,
        ev: &Ev<'_>,
        scope: &Scope<'_>,
        out: &mut Vec<Reference>,
        locals_seen: &mut Vec<usize>,
    ) {
        if let E::Trav(base, ops) = &e.k {
            if let Some(reference) = self.direct_reference(base, ops, attribute, ev, scope) {
                if !out.contains(&reference) {
                    out.push(reference);
                }
            }
            // `local.waf_arn = aws_wafv2_web_acl.x.arn`: a local passes its references on.
            if let (E::Var(root), Some(Op::Attr(name))) = (&base.k, ops.first()) {
                if let (true, Some(&i)) = (root == "local", self.cfg.local_index.get(name)) {
                    if !locals_seen.contains(&i) {
                        locals_seen.push(i);
                        let local = &self.cfg.locals[i].expr;
                        self.expr_references(
                            local,
                            attribute,
                            ev,
                            &Scope::root(),
                            out,
                            locals_seen,
                        );
                    }
                }
            }
        }
        let mut walk = |x: &Expr| self.expr_references(x, attribute, ev, scope, out, locals_seen);
        match &e.k {
            E::Trav(base, ops) => {
                walk(base);
                for op in ops {
                    if let Op::Index(ix) = op {
                        walk(ix);
                    }
                }
            }
            E::Tmpl(parts) => {
                let mut stack: Vec<&super::ast::Part> = parts.iter().collect();
                while let Some(part) = stack.pop() {
                    match part {
                        super::ast::Part::Lit(_) => {}
                        super::ast::Part::Interp(x) => walk(x),
                        super::ast::Part::If(c, a, b) => {
                            walk(c);
                            stack.extend(a.iter().chain(b.iter()));
                        }
                        super::ast::Part::For(_, _, coll, body) => {
                            walk(coll);
                            stack.extend(body.iter());
                        }
                    }
                }
            }
            E::Array(items) => items.iter().for_each(walk),
            E::Object(pairs) => pairs.iter().for_each(|(k, v)| {
                walk(k);
                walk(v);
            }),
            E::Call(_, args, _) => args.iter().for_each(walk),
            E::Cond(c, a, b) => {
                walk(c);
                walk(a);
                walk(b);
            }
            E::Not(x) | E::Neg(x) | E::Paren(x) => walk(x),
            E::Bin(_, a, b) => {
                walk(a);
                walk(b);
            }
            E::For(f) => {
                walk(&f.coll);
                if let Some(k) = &f.key {
                    walk(k);
                }
                walk(&f.val);
                if let Some(c) = &f.cond {
                    walk(c);
                }
            }
            E::Null | E::Bool(_) | E::Num(_) | E::Str(_) | E::Var(_) => {}
        }
    }

    /// `aws_lb.x.arn`, `aws_lb.x[each.key].arn`, `aws_lb.x[*].arn`: the resource it names.
    fn direct_reference(
        &self,
        base: &Expr,
        ops: &[Op],
        attribute: &str,
        ev: &Ev<'_>,
        scope: &Scope<'_>,
    ) -> Option<Reference> {
        let (E::Var(ty), Some(Op::Attr(name))) = (&base.k, ops.first()) else {
            return None;
        };
        if !self
            .cfg
            .res_index
            .contains_key(&(false, ty.clone(), name.clone()))
        {
            return None;
        }
        let block = if self.addr.is_empty() {
            format!("{ty}.{name}")
        } else {
            format!("{}.{ty}.{name}", strip_keys(&self.addr))
        };
        let prefix = if self.addr.is_empty() {
            String::new()
        } else {
            format!("{}.", self.addr)
        };
        let key = match ops.get(1) {
            Some(Op::Index(ix)) => match ev.eval(ix, scope).map(|v| v.kind) {
                Ok(Kind::String(k)) => Some(format!("[{}]", quote(&k))),
                Ok(Kind::Number(n)) if n >= 0.0 && n.fract() == 0.0 => {
                    Some(format!("[{}]", n as u64))
                }
                _ => None,
            },
            Some(Op::AttrSplat | Op::FullSplat) => None,
            _ => Some(String::new()),
        };
        Some(Reference {
            attribute: attribute.to_string(),
            block,
            instance: key.map(|k| format!("{prefix}{ty}.{name}{k}")),
        })
    }

    /// A block body as an object: attributes, then nested blocks as lists of objects (with
    /// `dynamic` blocks expanded). Meta-arguments are left out at the top level.
    fn eval_body(&self, body: &Body, ev: &Ev<'_>, scope: &Scope<'_>, top: bool) -> Value {
        let mut map = BTreeMap::new();
        for a in &body.attrs {
            if top && META_ATTRS.contains(&a.name.as_str()) {
                continue;
            }
            let v = ev
                .eval(&a.expr, scope)
                .unwrap_or_else(|e| self.soft(e, &ev.file, a.expr.sp));
            map.insert(a.name.clone(), v);
        }
        let mut blocks: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut unknown_blocks: BTreeMap<String, bool> = BTreeMap::new();
        for b in &body.blocks {
            if top && META_BLOCKS.contains(&b.ty.as_str()) {
                continue;
            }
            if b.ty == "dynamic" {
                let Some(label) = b.labels.first() else {
                    continue;
                };
                let iter_name = b
                    .body
                    .attr("iterator")
                    .and_then(|a| match &a.expr.k {
                        E::Var(n) => Some(n.clone()),
                        _ => a.expr.as_lit_str(),
                    })
                    .unwrap_or_else(|| label.clone());
                let coll = match b.body.attr("for_each") {
                    Some(a) => ev
                        .eval(&a.expr, scope)
                        .unwrap_or_else(|e| self.soft(e, &ev.file, a.expr.sp)),
                    None => Value::unknown(),
                };
                let entry = blocks.entry(label.clone()).or_default();
                if coll.is_unknown() {
                    unknown_blocks.insert(label.clone(), true);
                    continue;
                }
                if coll.is_null() {
                    continue;
                }
                let pairs = match iter_pairs(&coll) {
                    Ok(p) => p,
                    Err(e) => {
                        self.soft(e, &ev.file, b.sp);
                        unknown_blocks.insert(label.clone(), true);
                        continue;
                    }
                };
                let Some(content) = b.body.blocks_of("content").last() else {
                    continue;
                };
                for (k, v) in pairs {
                    let it = Value::object(BTreeMap::from([
                        ("key".to_string(), k),
                        ("value".to_string(), v),
                    ]));
                    let child = Scope::child(scope, vec![(iter_name.clone(), it)]);
                    let mut obj = self.eval_body(&content.body, ev, &child, false);
                    obj.origins.push(ev.origin(&Expr::new(E::Null, b.sp)));
                    entry.push(obj);
                }
                continue;
            }
            let mut obj = self.eval_body(&b.body, ev, scope, false);
            obj.origins.push(ev.origin(&Expr::new(E::Null, b.sp)));
            blocks.entry(b.ty.clone()).or_default().push(obj);
        }
        for (ty, items) in blocks {
            let unknown = unknown_blocks.get(&ty).copied().unwrap_or(false);
            let v = if unknown && items.is_empty() {
                Value::unknown()
            } else {
                let mut items = items;
                if unknown {
                    items.push(Value::unknown());
                }
                Value::list(items)
            };
            map.insert(ty, v);
        }
        Value::object(map)
    }

    /// A module call's instances: `count`/`for_each` evaluated, the source resolved, one child
    /// instance per key (nothing in them evaluated yet).
    fn call_state(&self, i: usize) -> Result<Rc<CallState<'l>>, EvalError> {
        if let Some(state) = self.calls.borrow()[i].clone() {
            return Ok(state);
        }
        let d = &self.cfg.calls[i];
        if let Some(Err(())) = self.memo_get(Key::Call(i)) {
            return Err(self.cycle(&d.file, d.sp, &format!("module.{}", d.name)));
        }
        self.memo.borrow_mut().insert(Key::Call(i), Slot::Busy);
        // Its own allowance, whoever asked for it first.
        let _budget = Budget::fresh();
        let key_path = if self.key_path.is_empty() {
            d.name.clone()
        } else {
            format!("{}.{}", self.key_path, d.name)
        };
        let call_origin = origin(&d.file, d.sp, OriginKind::Literal);
        let ev_args = self.ev(&d.file, OriginKind::ModuleArgument);
        let expanded = match self.expand(d.count.as_ref(), d.for_each.as_ref(), &ev_args) {
            Ok(x) => x,
            Err(e) => {
                self.soft(e, &d.file, d.sp);
                None
            }
        };
        let resolved = self.l.resolve_module(
            &self.root_dir,
            &self.cfg.dir,
            d.source.as_deref(),
            &key_path,
        );
        let dir = match resolved {
            ModuleSource::Dir(dir) => {
                if self.ancestors.contains(&dir) || self.ancestors.len() >= MAX_MODULE_DEPTH {
                    self.l.report_at(
                        &d.file,
                        d.sp.start,
                        format!(
                            "module `{}` calls itself (or nests too deep); not evaluated",
                            d.name
                        ),
                    );
                    None
                } else {
                    Some(dir)
                }
            }
            ModuleSource::Missing(why) => {
                self.l.report_once(
                    &d.file,
                    d.sp.start,
                    format!("module `{}` is not available ({why}): its resources and the values it outputs are not checked, only its arguments", d.name),
                );
                None
            }
        };
        let is_expanded = expanded.is_some();
        let insts = expanded.unwrap_or_else(|| {
            vec![Inst1 {
                key: String::new(),
                vars: vec![
                    (
                        "count".to_string(),
                        Value::object(BTreeMap::from([("index".to_string(), Value::unknown())])),
                    ),
                    (
                        "each".to_string(),
                        Value::object(BTreeMap::from([
                            ("key".to_string(), Value::unknown()),
                            ("value".to_string(), Value::unknown()),
                        ])),
                    ),
                ],
                index: None,
            }]
        });
        let base = base_address(&self.addr, &d.name);
        let cfg = dir.as_ref().map(|dir| self.l.module_config(dir));
        let insts = insts
            .into_iter()
            .map(|inst| {
                let child = cfg.as_ref().map(|cfg| {
                    let mut chain = self.chain.clone();
                    chain.push(call_origin.clone());
                    let mut ancestors = self.ancestors.clone();
                    ancestors.push(self.cfg.dir.clone());
                    Inst::build(
                        self.l,
                        cfg.clone(),
                        format!("{base}{}", inst.key),
                        key_path.clone(),
                        self.root_dir.clone(),
                        chain,
                        ancestors,
                        VarSource::Caller {
                            parent: self.me.clone(),
                            call: i,
                            scope: inst.vars.clone(),
                        },
                    )
                });
                CallInst {
                    key: inst.key,
                    index: inst.index,
                    scope: inst.vars,
                    child,
                }
            })
            .collect();
        let state = Rc::new(CallState {
            expanded: is_expanded,
            insts,
        });
        self.calls.borrow_mut()[i] = Some(state.clone());
        self.memo
            .borrow_mut()
            .insert(Key::Call(i), Slot::Done(Rc::new(Value::null())));
        Ok(state)
    }

    /// The value the `module` block `call` gives to the variable `name` of the instance whose
    /// `count`/`each` is `scope`; `None` when the block does not set it.
    fn call_argument(&self, call: usize, scope: &[(String, Value)], name: &str) -> Option<Value> {
        let d = &self.cfg.calls[call];
        let a = d.args.iter().rev().find(|a| a.name == name)?;
        let _budget = Budget::fresh();
        let root = Scope::root();
        Some(self.argument_value(d, a, &Scope::child(&root, scope.to_vec())))
    }

    fn argument_value(&self, d: &CallDecl, a: &Attr, scope: &Scope<'_>) -> Value {
        let ev_args = self.ev(&d.file, OriginKind::ModuleArgument);
        let mut v = ev_args
            .eval(&a.expr, scope)
            .unwrap_or_else(|e| self.soft(e, &d.file, a.expr.sp));
        let o = origin(&d.file, a.sp, OriginKind::ModuleArgument);
        // A value an outer caller already passed in (a module argument, tfvars, an input) is
        // edited there, not at this inner call's argument.
        let from_outside = v.origins.iter().any(|x| {
            x.file != d.file && x.kind.edit_priority() >= OriginKind::ModuleArgument.edit_priority()
        });
        if !from_outside && !v.origins.contains(&o) && v.origins.len() < MAX_ORIGINS {
            v.origins.push(o);
        }
        v
    }

    /// What an instance of a module call outputs, or the whole instance when `output` is
    /// `None`. The outputs of a module that is not available are unknown and carry its block,
    /// so a policy can tell "not downloaded" from "known after apply".
    fn instance_value(&self, i: usize, inst: &CallInst<'l>, output: Option<&str>) -> R {
        match (&inst.child, output) {
            (Some(child), Some(name)) => child.output_named(name),
            (Some(child), None) => Ok(child.all_outputs()),
            (None, _) => {
                let d = &self.cfg.calls[i];
                let mut unknown = Value::unknown();
                unknown
                    .origins
                    .push(origin(&d.file, d.sp, OriginKind::Literal));
                Ok(unknown)
            }
        }
    }

    /// `module.x.out` or `module.x[k].out`: one output of one instance, evaluated on its own.
    /// `None` when `key` names no instance (the caller then reads the whole call).
    fn call_output(&self, i: usize, key: Option<&Value>, name: &str) -> Option<R> {
        let state = match self.call_state(i) {
            Ok(s) => s,
            Err(e) => return Some(Err(e)),
        };
        if !state.expanded || key.is_some_and(Value::is_unknown) {
            return Some(Ok(Value::unknown()));
        }
        let inst = state.insts.iter().find(|inst| match (key, &inst.index) {
            (None, None) => true,
            (Some(k), Some(IndexKey::Num(n))) => k.as_f64() == Some(*n as f64),
            (Some(k), Some(IndexKey::Str(s))) => k.as_str() == Some(s.as_str()),
            _ => false,
        })?;
        Some(self.instance_value(i, inst, Some(name)))
    }

    /// `module.x` as one value: every output of every instance.
    fn call(&self, i: usize) -> R {
        let state = self.call_state(i)?;
        if !state.expanded {
            return Ok(Value::unknown());
        }
        let _whole = WholeCall::enter();
        let d = &self.cfg.calls[i];
        let mut list = Vec::new();
        let mut map = BTreeMap::new();
        for inst in &state.insts {
            let v = self.instance_value(i, inst, None)?;
            match &inst.index {
                Some(IndexKey::Str(k)) => {
                    map.insert(k.clone(), v);
                }
                _ => list.push(v),
            }
        }
        Ok(if d.for_each.is_some() {
            Value::object(map)
        } else if d.count.is_some() {
            Value::list(list)
        } else {
            list.pop().unwrap_or_default()
        })
    }

    /// Evaluates every instance of a module call and keeps what they produced.
    fn collect_call(&self, i: usize) {
        let d = &self.cfg.calls[i];
        let mut collected = Collected::default();
        // Once per block, not per instance: every instance fetches the same source. A `source`
        // that is not a literal (OpenTofu allows variables) is carried as unknown; a block
        // without one is Terraform's error, not a source.
        if let Some(source_sp) = d.source_sp {
            collected.module_calls.push(ModuleCall {
                address: strip_keys(&base_address(&self.addr, &d.name)),
                source: d.source.as_deref().map(super::redact_source_url),
                version: d.version.clone(),
                location: Some(origin(&d.file, source_sp, OriginKind::Literal)),
                input: InputKind::Hcl,
            });
        }
        let call_origin = origin(&d.file, d.sp, OriginKind::Literal);
        let base = base_address(&self.addr, &d.name);
        let state = self.call_state(i).ok();
        for inst in state.iter().flat_map(|s| s.insts.iter()) {
            match &inst.child {
                Some(child) => {
                    let c = child.run();
                    collected.resources.extend(c.resources);
                    collected.outputs.extend(c.outputs);
                    collected.variables.extend(c.variables);
                    collected.providers.extend(c.providers);
                    collected.module_calls.extend(c.module_calls);
                    collected.secrets.extend(c.secrets);
                    collected.not_downloaded.extend(c.not_downloaded);
                }
                None => {
                    // Unavailable: its arguments are still visible as the module's variables.
                    let root = Scope::root();
                    let scope = Scope::child(&root, inst.scope.clone());
                    let mut provided = Provided::new();
                    for a in &d.args {
                        let _budget = Budget::fresh();
                        provided.insert(a.name.clone(), self.argument_value(d, a, &scope));
                    }
                    for (name, value) in provided {
                        collected.variables.push(Variable::new(
                            name,
                            format!("{base}{}", inst.key),
                            value,
                            false,
                            Some(call_origin.clone()),
                        ));
                    }
                    if !collected
                        .not_downloaded
                        .iter()
                        .any(|(_, o)| *o == call_origin)
                    {
                        collected
                            .not_downloaded
                            .push((d.name.clone(), call_origin.clone()));
                    }
                }
            }
        }
        self.children.borrow_mut()[i] = Some(collected);
    }

    fn rel_module_path(&self) -> String {
        relative(&self.root_dir, &self.cfg.dir)
    }
}

#[derive(Clone)]
struct Inst1 {
    key: String,
    vars: Vec<(String, Value)>,
    index: Option<IndexKey>,
}

#[derive(Clone)]
enum IndexKey {
    Num(usize),
    Str(String),
}

/// Applies a variable's declaration to the value given to it (if any): default, `nullable`,
/// type conversion, sensitivity. A variable with no value at all is unknown.
fn resolve_var(d: &VarDecl, given: Option<Value>) -> Value {
    let nothing = NoNames;
    let ev = Ev::new(d.file, OriginKind::VariableDefault, &nothing);
    let default = || -> Option<Value> {
        d.default.as_ref().map(|e| {
            ev.eval(e, &Scope::root())
                .unwrap_or_else(|_| Value::unknown())
        })
    };
    let mut v = match given {
        Some(v) if v.is_null() && !d.nullable => default().unwrap_or(v),
        Some(v) => v,
        None => default().unwrap_or_else(Value::unknown),
    };
    if let Some(ty) = &d.ty {
        v = convert(v, ty, &ev);
    }
    if d.sensitive {
        v.sensitive = true;
    }
    v
}

/// `module.name` under the module instance at `parent` (empty for the root).
fn base_address(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        format!("module.{name}")
    } else {
        format!("{parent}.module.{name}")
    }
}

/// Terraform's quoting of an instance key.
pub(super) fn quote(k: &str) -> String {
    let mut s = String::from("\"");
    for c in k.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// True when an expression reads `each.value` anywhere.
fn reads_each_value(e: &Expr) -> bool {
    use super::ast::Part;
    fn parts(ps: &[Part]) -> bool {
        ps.iter().any(|p| match p {
            Part::Lit(_) => false,
            Part::Interp(x) => reads_each_value(x),
            Part::If(c, a, b) => reads_each_value(c) || parts(a) || parts(b),
            Part::For(_, _, coll, body) => reads_each_value(coll) || parts(body),
        })
    }
    match &e.k {
        E::Trav(base, ops) => {
            let direct = matches!(&base.k, E::Var(v) if v == "each")
                && matches!(ops.first(), Some(Op::Attr(a)) if a == "value");
            direct
                || reads_each_value(base)
                || ops
                    .iter()
                    .any(|op| matches!(op, Op::Index(ix) if reads_each_value(ix)))
        }
        E::Tmpl(ps) => parts(ps),
        E::Array(items) => items.iter().any(reads_each_value),
        E::Object(pairs) => pairs
            .iter()
            .any(|(k, v)| reads_each_value(k) || reads_each_value(v)),
        E::Call(_, args, _) => args.iter().any(reads_each_value),
        E::Cond(c, a, b) => reads_each_value(c) || reads_each_value(a) || reads_each_value(b),
        E::Not(x) | E::Neg(x) | E::Paren(x) => reads_each_value(x),
        E::Bin(_, a, b) => reads_each_value(a) || reads_each_value(b),
        E::For(f) => {
            reads_each_value(&f.coll)
                || f.key.as_ref().is_some_and(reads_each_value)
                || reads_each_value(&f.val)
                || f.cond.as_ref().is_some_and(reads_each_value)
        }
        E::Null | E::Bool(_) | E::Num(_) | E::Str(_) | E::Var(_) => false,
    }
}

fn strip_keys(addr: &str) -> String {
    crate::address::strip_instance_keys(addr)
}

pub(super) fn origin(file: &FileId, sp: Sp, kind: OriginKind) -> Origin {
    Origin::new(*file, sp.start, sp.end, kind)
}

/// The value other blocks see for a resource instance: its configured attributes plus the
/// provider-sensitive attributes (marked, unknown when not configured). Names mark nothing:
/// Terraform decides sensitivity by schema and by sensitive inputs, never by name.
fn reference_value(d: &ResDecl, values: Value) -> Value {
    let mut v = values;
    if let Some(map) = v.kind.object_mut() {
        for attr in sensitive_computed(&d.ty) {
            map.entry(attr.to_string())
                .or_insert_with(|| Value::unknown().with_sensitive(true))
                .sensitive = true;
        }
        // Where the provider sets `id` to a configured name, a reference to `.id` is known.
        if let Some(name_attr) = id_is_name(&d.ty) {
            if let Some(name) = map.get(name_attr).filter(|n| n.as_str().is_some()).cloned() {
                map.entry("id".to_string()).or_insert(name);
            }
        }
        // A VPC's or subnet's own range is known only after apply, but it is that network's
        // range, at most a /16 (IPv6: /44), never the internet.
        for (attr, prefix) in own_network_range(&d.ty) {
            let entry = map.entry(attr.to_string()).or_insert_with(Value::unknown);
            if entry.is_unknown() {
                let what = match d.mode {
                    Mode::Managed => format!("{}.{}.{attr}", d.ty, d.name),
                    Mode::Data => format!("data.{}.{}.{attr}", d.ty, d.name),
                };
                let origins = std::mem::take(&mut entry.origins);
                let sensitive = entry.sensitive;
                *entry = Value::string(guard_policies::value::bounded_block_stand_in(
                    &what, *prefix,
                ));
                entry.origins = origins;
                entry.sensitive = sensitive;
            }
        }
        // The id and ARN of a managed resource are known only after apply but never null:
        // `kms_master_key_id = aws_kms_key.x.arn` is set, to a key this configuration manages.
        // A known, self-describing stand-in says so to every policy.
        if d.mode == Mode::Managed {
            for attr in identity_attributes(&d.ty) {
                map.entry(attr.to_string()).or_insert_with(|| {
                    Value::string(guard_policies::value::managed_identity_stand_in(
                        &d.ty, &d.name, attr,
                    ))
                });
            }
        }
    }
    v
}

/// The address-block attributes that are a network's own range, with the shortest prefix AWS
/// allows for them (VPC and subnet IPv4 blocks are /16 to /28; IPv6 blocks /44 to /64).
fn own_network_range(ty: &str) -> &'static [(&'static str, u32)] {
    match ty {
        "aws_vpc" | "aws_default_vpc" | "aws_subnet" | "aws_default_subnet" => {
            &[("cidr_block", 16), ("ipv6_cidr_block", 44)]
        }
        _ => &[],
    }
}

/// Computed attributes a managed resource always has once created. Only keys' ids get a
/// stand-in: other `.id` references stay unknown, because policies pair companion resources
/// (`aws_s3_bucket_server_side_encryption_configuration.bucket = aws_s3_bucket.x.id`) by them.
fn identity_attributes(ty: &str) -> &'static [&'static str] {
    match ty {
        "aws_kms_key" | "aws_kms_replica_key" => &["id", "arn", "key_id"],
        "google_kms_crypto_key" | "azurerm_key_vault_key" => &["id"],
        _ if ty.starts_with("aws_") => &["arn"],
        _ => &[],
    }
}

/// The configured attribute a resource type's `id` equals, for the types where it does.
fn id_is_name(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "aws_s3_bucket" => "bucket",
        "aws_iam_role"
        | "aws_iam_user"
        | "aws_iam_group"
        | "aws_iam_instance_profile"
        | "aws_cloudwatch_log_group"
        | "aws_dynamodb_table"
        | "aws_ecr_repository"
        | "aws_kms_alias"
        | "google_storage_bucket" => "name",
        "aws_lambda_function" => "function_name",
        _ => return None,
    })
}

/// Pure data sources: `aws_iam_policy_document` renders its `json`, `google_iam_policy` its
/// `policy_data`.
fn render_data(d: &ResDecl, values: &mut Value) {
    if d.ty == "google_iam_policy" {
        let data = super::policy_doc::render_google(values);
        if let (Some(p), Some(map)) = (data, values.kind.object_mut()) {
            map.insert("policy_data".to_string(), p);
        }
        return;
    }
    if d.ty != "aws_iam_policy_document" {
        return;
    }
    let json = super::policy_doc::render(values);
    if let (Some(j), Some(map)) = (json, values.kind.object_mut()) {
        map.insert("json".to_string(), j.clone());
        map.insert("minified_json".to_string(), j);
    }
}

/// Lexical relative path from `from` to `to` (both normalised, relative to the same base).
pub(super) fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..a.len() {
        parts.push("..".to_string());
    }
    for c in &b[common..] {
        parts.push(c.as_os_str().to_string_lossy().to_string());
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

fn attr_name(ops: &[Op], i: usize) -> Option<&str> {
    match ops.get(i) {
        Some(Op::Attr(n)) => Some(n),
        _ => None,
    }
}

impl Resolver for Inst<'_> {
    fn root(
        &self,
        ev: &Ev<'_>,
        name: &str,
        ops: &[Op],
        scope: &Scope<'_>,
    ) -> Result<Option<Resolved>, EvalError> {
        let one = |value: Rc<Value>, lenient: bool| {
            Ok(Some(Resolved {
                value,
                consumed: 1,
                lenient,
            }))
        };
        match name {
            "var" => {
                let Some(n) = attr_name(ops, 0) else {
                    return err("`var` must be followed by a name");
                };
                match self.cfg.var_index.get(n) {
                    Some(&i) => one(self.var(i)?, false),
                    None => err(format!("reference to undeclared input variable `{n}`")),
                }
            }
            "local" => {
                let Some(n) = attr_name(ops, 0) else {
                    return err("`local` must be followed by a name");
                };
                match self.cfg.local_index.get(n) {
                    Some(&i) => one(self.local(i)?, false),
                    None => err(format!("reference to undeclared local value `{n}`")),
                }
            }
            "module" => {
                let Some(n) = attr_name(ops, 0) else {
                    return err("`module` must be followed by a name");
                };
                let Some(&i) = self.cfg.call_index.get(n) else {
                    return err(format!("reference to undeclared module `{n}`"));
                };
                // One output of one instance is its own node; anything else (`module.x` as a
                // value, `module.x[*].out`) reads every output.
                let d = &self.cfg.calls[i];
                let one_output = match (d.count.is_some() || d.for_each.is_some(), &ops[1..]) {
                    (false, [Op::Attr(out), ..]) => Some((None, out, 2)),
                    (true, [Op::Index(ix), Op::Attr(out), ..]) => {
                        Some((Some(ev.eval(ix, scope)?), out, 3))
                    }
                    _ => None,
                };
                if let Some((key, out, consumed)) = one_output {
                    if let Some(value) = self.call_output(i, key.as_ref(), out) {
                        return Ok(Some(Resolved {
                            value: Rc::new(value?),
                            consumed,
                            lenient: true,
                        }));
                    }
                }
                one(Rc::new(self.call(i)?), true)
            }
            "data" => {
                let (Some(t), Some(n)) = (attr_name(ops, 0), attr_name(ops, 1)) else {
                    return err("`data` must be followed by a type and a name");
                };
                match self
                    .cfg
                    .res_index
                    .get(&(true, t.to_string(), n.to_string()))
                {
                    Some(&i) => Ok(Some(Resolved {
                        value: self.resource(i)?,
                        consumed: 2,
                        lenient: true,
                    })),
                    None => err(format!(
                        "reference to undeclared data source `data.{t}.{n}`"
                    )),
                }
            }
            "ephemeral" => {
                let (Some(t), Some(n)) = (attr_name(ops, 0), attr_name(ops, 1)) else {
                    return err("`ephemeral` must be followed by a type and a name");
                };
                if !self
                    .cfg
                    .ephemerals
                    .contains(&(t.to_string(), n.to_string()))
                {
                    return err(format!(
                        "reference to undeclared ephemeral resource `ephemeral.{t}.{n}`"
                    ));
                }
                // Ephemeral values are opened during a run and never stored: unknown here.
                Ok(Some(Resolved {
                    value: Rc::new(Value::unknown()),
                    consumed: 2,
                    lenient: true,
                }))
            }
            "path" => {
                let v = match attr_name(ops, 0) {
                    Some("module") => self.rel_module_path(),
                    Some("root") | Some("cwd") => ".".to_string(),
                    _ => return err("unknown `path` attribute"),
                };
                one(Rc::new(Value::string(v)), false)
            }
            "terraform" => match attr_name(ops, 0) {
                Some("workspace") => one(Rc::new(Value::string("default")), false),
                Some("applying") => one(Rc::new(Value::bool(false)), false),
                _ => err("unknown `terraform` attribute"),
            },
            "self" | "each" | "count" => Ok(Some(Resolved {
                value: Rc::new(Value::unknown()),
                consumed: 0,
                lenient: true,
            })),
            _ => {
                let Some(n) = attr_name(ops, 0) else {
                    return Ok(None);
                };
                match self
                    .cfg
                    .res_index
                    .get(&(false, name.to_string(), n.to_string()))
                {
                    Some(&i) => one(self.resource(i)?, true),
                    None => {
                        if name.contains('_') {
                            err(format!("reference to undeclared resource `{name}.{n}`"))
                        } else {
                            Ok(None)
                        }
                    }
                }
            }
        }
    }

    fn func(&self, ev: &Ev<'_>, at: usize, name: &str, args: &[Value]) -> Option<R> {
        super::files::call(self.l, &self.root_dir, ev, at, name, args)
    }
}

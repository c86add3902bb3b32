//! The normalized model that policies read.
//!
//! A Terraform module, a Terragrunt unit and a plan all become a [`Model`]: resources with evaluated
//! values, and, for a plan, the [`Change`] each resource goes through. Policies never see HCL syntax or
//! plan JSON, so one policy covers every input.

use crate::store::{NodeId, Root, Store, Stored};
use crate::value::{Origin, Value, ValueRef};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Where the model came from; a few policies only make sense for one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputKind {
    /// Terraform or Terragrunt source, evaluated statically.
    Hcl,
    /// A `terraform show -json` plan.
    Plan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Managed,
    Data,
}

/// A resource instance (or, for an unknown `count`/`for_each`, a placeholder for all instances).
///
/// Read it through its accessors; loaders build one from [`ResourceParts`]. A plan may hold
/// 230k of these, so it is kept small: the address and the names taken from it share one
/// string, and what only source input sets sits behind one box.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The address, e.g. `module.net.aws_security_group.this["a"]`, followed by whichever of
    /// the type, name, module and config address is not already a part of it.
    names: Box<str>,
    /// Where each name is in `names`.
    spans: Spans,
    pub(crate) mode: Mode,
    /// Set when `count`/`for_each` could not be evaluated: this stands for every instance.
    pub(crate) instances_unknown: bool,
    pub(crate) input: InputKind,
    /// This resource's values, frozen: `values` and, for a plan, both sides of the change.
    pub(crate) store: Store,
    /// The values policies read: evaluated attributes for HCL, `after` for a plan (`before` for a
    /// deletion). Nested blocks are lists of objects.
    pub(crate) values: NodeId,
    /// What the plan does to this resource; `None` for HCL input.
    pub(crate) change: Option<Change>,
    /// The resource block in source, when there is source.
    pub(crate) location: Option<Origin>,
    /// What a plan's resource rarely has; `None` when all of it is empty.
    extra: Option<Box<Extra>>,
}

// 230k resources of a big plan: each byte here is 230 kB of peak memory.
const _: () = assert!(std::mem::size_of::<Resource>() == 224);
const _: () = assert!(std::mem::size_of::<Change>() == 48);

/// A name's place in [`Resource::names`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Debug, Clone, Copy)]
struct Spans {
    address_len: u32,
    resource_type: Span,
    name: Span,
    module: Span,
    config_address: Span,
}

impl Spans {
    /// One string holding `address` and the other names, each stored once (`config_address`
    /// `None`: the address itself). A name found in the text so far (the type, the name and the
    /// module are usually parts of the address, the config address its prefix) is not stored
    /// again.
    fn pack(
        address: String,
        resource_type: &str,
        name: &str,
        module: &str,
        config_address: Option<&str>,
    ) -> (Box<str>, Spans) {
        let mut text = address;
        let address_len = text.len();
        let mut place = |part: &str| -> (usize, usize) {
            let start = if part.is_empty() || text.starts_with(part) {
                0
            } else if let Some(at) = text.find(part) {
                at
            } else {
                text.push_str(part);
                text.len() - part.len()
            };
            (start, part.len())
        };
        let parts = [
            place(resource_type),
            place(name),
            place(module),
            config_address.map_or((0, address_len), place),
        ];
        let span = |(start, len): (usize, usize)| -> Option<Span> {
            Some(Span {
                start: u32::try_from(start).ok()?,
                len: u32::try_from(len).ok()?,
            })
        };
        let packed = u32::try_from(text.len()).ok().and_then(|_| {
            Some(Spans {
                address_len: u32::try_from(address_len).ok()?,
                resource_type: span(parts[0])?,
                name: span(parts[1])?,
                module: span(parts[2])?,
                config_address: span(parts[3])?,
            })
        });
        match packed {
            Some(spans) => (text.into_boxed_str(), spans),
            // Spans are 32-bit: plans and files over 4 GiB are refused before loading and
            // evaluation has a work budget, so names this long do not occur. Should they, every
            // name reads as this placeholder rather than a wrong slice or a panic.
            None => {
                const TOO_LONG: &str = "(a resource address over 4 GiB)";
                let whole = Span {
                    start: 0,
                    len: TOO_LONG.len() as u32,
                };
                let spans = Spans {
                    address_len: whole.len,
                    resource_type: whole,
                    name: whole,
                    module: whole,
                    config_address: whole,
                };
                (TOO_LONG.into(), spans)
            }
        }
    }
}

/// The parts of a resource that only source input (or a plan's configuration) fills in.
#[derive(Debug, Clone, Default)]
struct Extra {
    module_calls: Vec<Origin>,
    lifecycle: Option<Lifecycle>,
    references: Vec<Reference>,
    written_arguments: Option<std::collections::BTreeSet<String>>,
}

impl Extra {
    /// `None` when there is nothing to keep.
    fn boxed(
        module_calls: Vec<Origin>,
        lifecycle: Option<Lifecycle>,
        references: Vec<Reference>,
    ) -> Option<Box<Extra>> {
        if module_calls.is_empty() && lifecycle.is_none() && references.is_empty() {
            return None;
        }
        Some(Box::new(Extra {
            module_calls,
            lifecycle,
            references,
            written_arguments: None,
        }))
    }
}

/// What a loader knows about a resource; see [`Resource`] for the meaning of each field.
#[derive(Debug, Clone)]
pub struct ResourceParts {
    /// Full address, e.g. `module.net.aws_security_group.this["a"]`.
    pub address: String,
    pub mode: Mode,
    pub resource_type: String,
    pub name: String,
    /// Module address (`module.net`), empty for the root module.
    pub module: String,
    /// The values policies read: evaluated attributes for HCL, `after` for a plan (`before` for a
    /// deletion). Nested blocks are lists of objects.
    pub values: Value,
    /// What the plan does to this resource; `None` for HCL input.
    pub change: Option<Change>,
    /// The resource block in source, when there is source.
    pub location: Option<Origin>,
    /// The `module` blocks that instantiate this resource, outermost first (HCL only), so a
    /// suppression above a module call can cover what is inside it.
    pub module_calls: Vec<Origin>,
    /// Set when `count`/`for_each` could not be evaluated: this stands for every instance.
    pub instances_unknown: bool,
    /// The declared `lifecycle`, when read from source (a plan does not carry it).
    pub lifecycle: Option<Lifecycle>,
    /// Address of the resource block without instance keys (`module.net.aws_sg.this`), used to
    /// group the instances of one block into one finding.
    pub config_address: String,
    pub input: InputKind,
    /// The other resources this one's arguments refer to (`resource_arn = aws_lb.x.arn`), so a
    /// policy can find a companion resource even when the referring value is known only after
    /// apply.
    pub references: Vec<Reference>,
}

impl From<ResourceParts> for Resource {
    /// Freezes the values into the resource's store; the side of a change that was taken as
    /// `values` ([`Change::take_values`]) is stored once.
    fn from(mut p: ResourceParts) -> Self {
        let mut store = Store::new();
        let values = store.add(&p.values);
        drop(std::mem::take(&mut p.values));
        let change = p.change.take().map(|mut change| {
            if let Sides::Owned(owned) = std::mem::replace(
                &mut change.sides,
                Sides::Frozen {
                    before: values,
                    after: values,
                },
            ) {
                let [before, after] = *owned;
                let before = match change.values_from {
                    Some(Side::Before) => values,
                    _ => store.add(&before),
                };
                let after = match change.values_from {
                    Some(Side::After) => values,
                    _ => store.add(&after),
                };
                change.sides = Sides::Frozen { before, after };
            }
            change
        });
        store.finish();
        Resource::assemble(p, store, values, change)
    }
}

impl Resource {
    /// A resource whose values a streaming decoder built into `store`: `values` is the root
    /// policies read; a change made with [`Change::from_roots`] points into the same store.
    /// `parts.values` is not read.
    pub fn from_store(mut parts: ResourceParts, store: Store, values: Root) -> Self {
        let change = parts.change.take();
        Resource::assemble(parts, store, values.0, change)
    }

    /// A resource from its parts, its frozen values and its change (`parts.values` and
    /// `parts.change` are not read).
    fn assemble(
        parts: ResourceParts,
        store: Store,
        values: NodeId,
        change: Option<Change>,
    ) -> Self {
        let ResourceParts {
            address,
            mode,
            resource_type,
            name,
            module,
            location,
            module_calls,
            instances_unknown,
            lifecycle,
            config_address,
            input,
            references,
            ..
        } = parts;
        let (names, spans) = Spans::pack(
            address,
            &resource_type,
            &name,
            &module,
            Some(&config_address),
        );
        Resource {
            names,
            spans,
            mode,
            instances_unknown,
            input,
            store,
            values,
            change,
            location,
            extra: Extra::boxed(module_calls, lifecycle, references),
        }
    }

    /// [`Resource::from_store`] for a decoder that holds the names borrowed from its input:
    /// nothing is copied but the address.
    pub fn from_decoded(
        names: ResourceNames<'_>,
        change: Change,
        store: Store,
        values: Root,
    ) -> Self {
        let (packed, spans) = Spans::pack(
            names.address,
            names.resource_type,
            names.name,
            names.module,
            names.config_address,
        );
        Resource {
            names: packed,
            spans,
            mode: names.mode,
            instances_unknown: false,
            input: names.input,
            store,
            values: values.0,
            change: Some(change),
            location: None,
            extra: None,
        }
    }

    fn part(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.names
            .get(start..start + span.len as usize)
            .unwrap_or_default()
    }
}

/// What [`Resource::from_decoded`] makes a resource of, besides its values and change; see
/// [`Resource`] for the meaning of each field.
#[derive(Debug, Clone)]
pub struct ResourceNames<'a> {
    pub address: String,
    pub mode: Mode,
    pub resource_type: &'a str,
    pub name: &'a str,
    pub module: &'a str,
    /// `None` when it is the address itself (an address without instance keys).
    pub config_address: Option<&'a str>,
    pub input: InputKind,
}

/// One argument's reference to another resource of the same module instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The argument holding the reference; nested block arguments are dotted (`rule.target`).
    pub attribute: String,
    /// The referred resource block without instance keys (`module.net.aws_vpc.main`).
    pub block: String,
    /// The referred instance's full address, when the index is known (`aws_lb.x["a"]`); `None`
    /// for a splat or an index known only after apply.
    pub instance: Option<String>,
}

impl Reference {
    /// True when this reference, written in `from`, may point at `target`: the same instance, or
    /// (index not known) any instance of the same block in the same module instance.
    pub fn points_at(&self, from: &Resource, target: &Resource) -> bool {
        match &self.instance {
            Some(address) if !target.instances_unknown => address == target.address(),
            _ => self.block == target.config_address() && from.module() == target.module(),
        }
    }
}

impl Resource {
    /// A bare resource for tests.
    pub fn new(resource_type: &str, name: &str, values: Value, input: InputKind) -> Self {
        let address = format!("{resource_type}.{name}");
        Resource::from(ResourceParts {
            config_address: address.clone(),
            address,
            mode: Mode::Managed,
            resource_type: resource_type.to_string(),
            name: name.to_string(),
            module: String::new(),
            values,
            change: None,
            location: None,
            module_calls: Vec::new(),
            instances_unknown: false,
            lifecycle: None,
            input,
            references: Vec::new(),
        })
    }

    /// Full address, e.g. `module.net.aws_security_group.this["a"]`.
    pub fn address(&self) -> &str {
        self.names
            .get(..self.spans.address_len as usize)
            .unwrap_or_default()
    }
    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn resource_type(&self) -> &str {
        self.part(self.spans.resource_type)
    }
    pub fn name(&self) -> &str {
        self.part(self.spans.name)
    }
    /// Module address (`module.net`), empty for the root module.
    pub fn module(&self) -> &str {
        self.part(self.spans.module)
    }
    /// The values policies read: evaluated attributes for HCL, `after` for a plan (`before` for a
    /// deletion). Nested blocks are lists of objects.
    pub fn values(&self) -> ValueRef<'_> {
        ValueRef::at(&self.store, self.values)
    }
    /// What the plan does to this resource; `None` for HCL input.
    pub fn change(&self) -> Option<&Change> {
        self.change.as_ref()
    }
    /// The resource block in source, when there is source.
    pub fn location(&self) -> Option<&Origin> {
        self.location.as_ref()
    }
    /// The `module` blocks that instantiate this resource, outermost first (HCL only).
    pub fn module_calls(&self) -> &[Origin] {
        self.extra.as_ref().map_or(&[], |e| &e.module_calls)
    }
    /// Set when `count`/`for_each` could not be evaluated: this stands for every instance.
    pub fn instances_unknown(&self) -> bool {
        self.instances_unknown
    }
    /// The declared `lifecycle`, when read from source (a plan does not carry it).
    pub fn lifecycle(&self) -> Option<&Lifecycle> {
        self.extra.as_ref().and_then(|e| e.lifecycle.as_ref())
    }
    /// Address of the resource block without instance keys (`module.net.aws_sg.this`).
    pub fn config_address(&self) -> &str {
        self.part(self.spans.config_address)
    }
    pub fn input(&self) -> InputKind {
        self.input
    }
    /// The other resources this one's arguments refer to.
    pub fn references(&self) -> &[Reference] {
        self.extra.as_ref().map_or(&[], |e| &e.references)
    }
    /// Adds a reference (loaders that learn references after building the resource).
    pub fn push_reference(&mut self, reference: Reference) {
        self.extra
            .get_or_insert_with(Box::default)
            .references
            .push(reference);
    }

    /// The top-level arguments the configuration writes for this block, when the input records
    /// them apart from the values (a plan's `configuration`): there, an argument known only
    /// after apply that the configuration does not write is one the provider computes. `None`
    /// when the input does not say (Terraform source, whose values are the configuration).
    pub fn written_arguments(&self) -> Option<&std::collections::BTreeSet<String>> {
        self.extra
            .as_ref()
            .and_then(|e| e.written_arguments.as_ref())
    }
    /// Records the arguments the configuration writes (loaders that read the configuration
    /// after building the resource).
    pub fn set_written_arguments(&mut self, written: std::collections::BTreeSet<String>) {
        self.extra
            .get_or_insert_with(Box::default)
            .written_arguments = Some(written);
    }

    /// The references written in argument `attribute` (or one of its nested arguments).
    pub fn references_in<'a>(&'a self, attribute: &'a str) -> impl Iterator<Item = &'a Reference> {
        self.references().iter().filter(move |r| {
            r.attribute == attribute
                || r.attribute
                    .strip_prefix(attribute)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// True for a managed resource that exists after this change: HCL input, or a plan action
    /// that is not a pure delete or forget. Policies about configuration check only these; what a
    /// plan deletes is the deletion policies' business.
    pub fn will_exist(&self) -> bool {
        self.mode == Mode::Managed
            && self.change.as_ref().is_none_or(|c| {
                c.actions.contains(Action::Create)
                    || !(c.actions.is_delete() || c.actions.is_forget())
            })
    }

    /// The object before the plan's change (null for HCL input and for creations).
    pub fn before(&self) -> ValueRef<'_> {
        match self.change.as_ref().map(|c| &c.sides) {
            Some(Sides::Frozen { before, .. }) => ValueRef::at(&self.store, *before),
            _ => ValueRef::null(),
        }
    }

    /// The object after the plan's change; for HCL input, the evaluated values.
    pub fn after(&self) -> ValueRef<'_> {
        match self.change.as_ref().map(|c| &c.sides) {
            Some(Sides::Frozen { after, .. }) => ValueRef::at(&self.store, *after),
            Some(Sides::Owned(_)) => ValueRef::null(),
            None => self.values(),
        }
    }

    /// The roots of this resource's values, each once, with its store (for classification).
    pub(crate) fn roots_mut(&mut self) -> (&mut Store, Vec<NodeId>) {
        let mut roots = vec![self.values];
        if let Some(Sides::Frozen { before, after }) = self.change.as_ref().map(|c| &c.sides) {
            for side in [*before, *after] {
                if !roots.contains(&side) {
                    roots.push(side);
                }
            }
        }
        (&mut self.store, roots)
    }

    /// True when the plan deletes (or replaces) this resource.
    pub fn is_deleted(&self) -> bool {
        self.change.as_ref().is_some_and(|c| c.actions.is_delete())
    }
}

#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    pub prevent_destroy: Option<bool>,
    pub create_before_destroy: Option<bool>,
}

/// The plan's action list, as Terraform writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actions(pub ActionList);

/// A list of actions, kept inline when short (every list Terraform writes has one or two):
/// a big plan has one per resource.
#[derive(Clone)]
pub enum ActionList {
    Inline { len: u8, items: [Action; 3] },
    Long(Box<[Action]>),
}

impl std::ops::Deref for ActionList {
    type Target = [Action];
    fn deref(&self) -> &[Action] {
        match self {
            ActionList::Inline { len, items } => &items[..usize::from(*len)],
            ActionList::Long(items) => items,
        }
    }
}

impl FromIterator<Action> for ActionList {
    fn from_iter<I: IntoIterator<Item = Action>>(iter: I) -> Self {
        let mut items = [Action::NoOp; 3];
        let mut len = 0;
        let mut iter = iter.into_iter();
        for action in iter.by_ref() {
            if len == items.len() {
                let long: Vec<Action> = items.into_iter().chain([action]).chain(iter).collect();
                return ActionList::Long(long.into_boxed_slice());
            }
            items[len] = action;
            len += 1;
        }
        ActionList::Inline {
            len: len as u8,
            items,
        }
    }
}

impl From<Vec<Action>> for ActionList {
    fn from(actions: Vec<Action>) -> Self {
        actions.into_iter().collect()
    }
}

impl std::fmt::Debug for ActionList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for ActionList {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for ActionList {}

impl std::hash::Hash for ActionList {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    Forget,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Create => "create",
            Action::Read => "read",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Forget => "forget",
        }
    }
    pub fn parse(s: &str) -> Option<Action> {
        Some(match s {
            "no-op" => Action::NoOp,
            "create" => Action::Create,
            "read" => Action::Read,
            "update" => Action::Update,
            "delete" => Action::Delete,
            "forget" => Action::Forget,
            _ => return None,
        })
    }
}

/// The summary class of an action list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionClass {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    /// `["delete","create"]` or `["create","delete"]`.
    Replace,
    Forget,
    /// `["create","forget"]`: replaced, the old object left in place.
    CreateForget,
    /// An action list Terraform does not document; treated as destructive.
    Other,
}

impl Actions {
    pub fn contains(&self, a: Action) -> bool {
        self.0.contains(&a)
    }
    /// Any list containing `delete` is a deletion (the rule from Terraform's own source).
    pub fn is_delete(&self) -> bool {
        self.contains(Action::Delete)
    }
    pub fn is_replace(&self) -> bool {
        self.contains(Action::Delete) && self.contains(Action::Create)
    }
    pub fn is_forget(&self) -> bool {
        self.contains(Action::Forget)
    }
    /// Deletes, replaces and forgets: the changes a person must look at.
    pub fn is_destructive(&self) -> bool {
        self.is_delete() || self.is_forget() || self.class() == ActionClass::Other
    }
    pub fn class(&self) -> ActionClass {
        use Action::*;
        match &*self.0 {
            [NoOp] | [] => ActionClass::NoOp,
            [Create] => ActionClass::Create,
            [Read] => ActionClass::Read,
            [Update] => ActionClass::Update,
            [Delete] => ActionClass::Delete,
            [Delete, Create] | [Create, Delete] => ActionClass::Replace,
            [Forget] => ActionClass::Forget,
            [Create, Forget] => ActionClass::CreateForget,
            _ => ActionClass::Other,
        }
    }
    /// As Terraform writes it: `delete`, `delete, create`.
    pub fn display(&self) -> String {
        self.0
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One `resource_changes[]` (or `resource_drift[]`) entry's change.
#[derive(Debug, Clone)]
pub struct Change {
    pub actions: Actions,
    /// The objects before and after the change; read them through [`Resource::before`] and
    /// [`Resource::after`].
    sides: Sides,
    /// Which side was moved into `Resource::values`.
    pub(crate) values_from: Option<Side>,
    /// `None` when every detail is empty, as for most changes of a plan.
    details: Option<Box<ChangeDetails>>,
}

/// What a change rarely carries, read through [`Change`]'s accessors.
#[derive(Debug, Clone, Default)]
pub struct ChangeDetails {
    pub action_reason: Option<String>,
    /// Paths (attribute names and indexes as strings) that forced a replacement.
    pub replace_paths: Vec<Vec<String>>,
    /// Set when the resource moved from this address.
    pub previous_address: Option<String>,
    /// Set when the change imports an existing object (its id when known and not sensitive).
    pub importing: Option<Importing>,
    /// A deposed object key, for leftovers of `create_before_destroy`.
    pub deposed: Option<String>,
}

impl ChangeDetails {
    fn is_empty(&self) -> bool {
        self.action_reason.is_none()
            && self.replace_paths.is_empty()
            && self.previous_address.is_none()
            && self.importing.is_none()
            && self.deposed.is_none()
    }
}

impl Change {
    /// A change with nothing but its actions and its two sides.
    pub fn new(actions: Actions, before: Value, after: Value) -> Self {
        Change {
            actions,
            sides: Sides::Owned(Box::new([before, after])),
            values_from: None,
            details: None,
        }
    }
    /// A change whose sides a streaming decoder built into the store the resource is made
    /// with ([`Resource::from_store`]).
    pub fn from_roots(actions: Actions, before: Root, after: Root) -> Self {
        Change {
            actions,
            sides: Sides::Frozen {
                before: before.0,
                after: after.0,
            },
            values_from: None,
            details: None,
        }
    }
    /// Why Terraform chose this action (`replace_because_cannot_update`), when it says.
    pub fn action_reason(&self) -> Option<&str> {
        self.details.as_ref()?.action_reason.as_deref()
    }
    /// Paths (attribute names and indexes as strings) that forced a replacement.
    pub fn replace_paths(&self) -> &[Vec<String>] {
        self.details.as_ref().map_or(&[], |d| &d.replace_paths)
    }
    /// Set when the resource moved from this address.
    pub fn previous_address(&self) -> Option<&str> {
        self.details.as_ref()?.previous_address.as_deref()
    }
    /// Set when the change imports an existing object (its id when known and not sensitive).
    pub fn importing(&self) -> Option<&Importing> {
        self.details.as_ref()?.importing.as_ref()
    }
    /// A deposed object key, for leftovers of `create_before_destroy`.
    pub fn deposed(&self) -> Option<&str> {
        self.details.as_ref()?.deposed.as_deref()
    }
    /// The details, moved out (empty when none is set).
    pub fn take_details(&mut self) -> ChangeDetails {
        self.details.take().map(|d| *d).unwrap_or_default()
    }
    /// Sets the details (kept only when one is set).
    pub fn set_details(&mut self, details: ChangeDetails) {
        self.details = (!details.is_empty()).then(|| Box::new(details));
    }

    /// The side policies read as the resource's values: what will exist, or, for a pure
    /// deletion, what is being deleted.
    pub fn values_side(&self) -> Side {
        if self.actions.is_delete() && !self.actions.contains(Action::Create) {
            Side::Before
        } else {
            Side::After
        }
    }
    /// One side of the change, moved out.
    pub fn into_side(self, side: Side) -> Value {
        match (self.sides, side) {
            (Sides::Owned(owned), side) => {
                let [before, after] = *owned;
                match side {
                    Side::Before => before,
                    Side::After => after,
                }
            }
            (Sides::Frozen { .. }, _) => Value::null(),
        }
    }
    /// Moves out the side policies read as the resource's values: what will exist, or, for a
    /// pure deletion, what is being deleted. It stays readable through [`Resource::before`] and
    /// [`Resource::after`].
    pub fn take_values(&mut self) -> Value {
        let side = self.values_side();
        let Sides::Owned(owned) = &mut self.sides else {
            return Value::null();
        };
        self.values_from = Some(side);
        let [before, after] = &mut **owned;
        match side {
            Side::Before => std::mem::take(before),
            Side::After => std::mem::take(after),
        }
    }
}

/// The two sides of a change: as the loader built them, then frozen into the resource's store.
#[derive(Debug, Clone)]
enum Sides {
    /// Boxed: a plan's changes are frozen from the start, and each is in a resource of a model
    /// that may hold 230k of them.
    Owned(Box<[Value; 2]>),
    Frozen {
        before: NodeId,
        after: NodeId,
    },
}

/// One side of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

#[derive(Debug, Clone)]
pub struct Importing {
    pub id: Option<String>,
}

/// An `output` with its value and whether it is declared sensitive.
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    /// `module.x` for outputs of a child module, empty for the root.
    pub module: String,
    pub(crate) value: Stored,
    /// What the configuration declares (`sensitive = true`); `None` when unknown (plans).
    pub declared_sensitive: Option<bool>,
    pub location: Option<Origin>,
    pub input: InputKind,
}

impl Output {
    pub fn new(
        name: String,
        module: String,
        value: impl Into<Stored>,
        declared_sensitive: Option<bool>,
        location: Option<Origin>,
        input: InputKind,
    ) -> Self {
        Output {
            name,
            module,
            value: value.into(),
            declared_sensitive,
            location,
            input,
        }
    }
    pub fn value(&self) -> ValueRef<'_> {
        self.value.get()
    }
}

/// A failed or errored `check`, precondition, postcondition or variable validation from a plan.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub address: String,
    pub status: String,
    pub problems: Vec<String>,
}

/// Facts about the plan as a whole.
#[derive(Debug, Clone, Default)]
pub struct PlanFacts {
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// `errored: true`: the plan failed part-way and is not the whole story.
    pub errored: bool,
    /// `complete: false` (targeted or deferred): the plan does not cover everything.
    pub complete: bool,
    pub failed_checks: Vec<CheckResult>,
    pub deferred: usize,
}

/// A `variable` with its resolved value and declaration.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub module: String,
    pub(crate) value: Stored,
    pub declared_sensitive: bool,
    pub location: Option<Origin>,
}

impl Variable {
    pub fn new(
        name: String,
        module: String,
        value: impl Into<Stored>,
        declared_sensitive: bool,
        location: Option<Origin>,
    ) -> Self {
        Variable {
            name,
            module,
            value: value.into(),
            declared_sensitive,
            location,
        }
    }
    pub fn value(&self) -> ValueRef<'_> {
        self.value.get()
    }
}

/// A `provider` block of a module instance, with its evaluated configuration (HCL only; plans
/// carry no provider values).
#[derive(Debug, Clone)]
pub struct Provider {
    /// The provider's local name (`aws`, `github`).
    pub name: String,
    /// The `alias`, when the block sets one.
    pub alias: Option<String>,
    /// `module.x` for a provider block of a child module, empty for the root.
    pub module: String,
    /// Evaluated attributes; nested blocks are lists of objects, as for resources. Meta-arguments
    /// (`alias`, `version`) are left out.
    pub(crate) values: Stored,
    /// The provider block in source.
    pub location: Option<Origin>,
}

impl Provider {
    pub fn new(
        name: String,
        alias: Option<String>,
        module: String,
        values: Value,
        location: Option<Origin>,
    ) -> Self {
        Provider {
            name,
            alias,
            module,
            values: Stored::new(&values),
            location,
        }
    }
    pub fn values(&self) -> ValueRef<'_> {
        self.values.get()
    }
}

/// A `module` block's address, or a Terragrunt unit's `terraform.source` (SUP001 reads these).
#[derive(Debug, Clone)]
pub struct ModuleCall {
    /// `module.vpc` (`module.net.module.vpc` when nested); `terraform.source` for a Terragrunt unit.
    pub address: String,
    /// The `source` as written, with credentials (URL userinfo, query parameters other than
    /// `ref`, `version` and `checksum`) already removed by the loader. `None` when it could not be
    /// evaluated (a Terragrunt source built from unknown values).
    pub source: Option<String>,
    /// The `version` constraint, when the call sets one.
    pub version: Option<String>,
    /// The `source` attribute in source (HCL only).
    pub location: Option<Origin>,
    pub input: InputKind,
}

/// An inline `# guard:ignore` or similar comment is not part of the model; suppressions are applied
/// by the engine after policies run.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// A name for what was read: the plan file, the module directory or the Terragrunt unit.
    pub(crate) name: Arc<str>,
    pub(crate) input: Option<InputKind>,
    pub(crate) resources: Vec<Resource>,
    /// `resource_drift[]`: changes made outside Terraform, found on refresh.
    pub(crate) drift: Vec<Resource>,
    pub(crate) outputs: Vec<Output>,
    pub(crate) variables: Vec<Variable>,
    /// `provider` blocks (HCL only).
    pub(crate) providers: Vec<Provider>,
    /// Module calls and Terragrunt sources: where code comes from.
    pub(crate) module_calls: Vec<ModuleCall>,
    pub(crate) plan: Option<PlanFacts>,
    /// Module calls whose source was not downloaded (`terraform init` not run), with their
    /// `module` blocks: what they output is unknown to guard, not to Terraform (HCL only).
    pub(crate) not_downloaded: Vec<(String, Origin)>,
    /// Positions in `resources` by resource type, built on first use: whole-model policies look
    /// up the few resources of one type instead of comparing the type of every resource.
    pub(crate) by_type: OnceLock<HashMap<Box<str>, Vec<usize>>>,
}

/// What a loader builds a [`Model`] from; see [`Model`] for the meaning of each field.
#[derive(Debug, Clone, Default)]
pub struct ModelParts {
    /// A name for what was read: the plan file, the module directory or the Terragrunt unit.
    pub name: Arc<str>,
    pub input: Option<InputKind>,
    pub resources: Vec<Resource>,
    /// `resource_drift[]`: changes made outside Terraform, found on refresh.
    pub drift: Vec<Resource>,
    pub outputs: Vec<Output>,
    pub variables: Vec<Variable>,
    /// `provider` blocks (HCL only).
    pub providers: Vec<Provider>,
    /// Module calls and Terragrunt sources: where code comes from.
    pub module_calls: Vec<ModuleCall>,
    pub plan: Option<PlanFacts>,
    /// Module calls whose source was not downloaded (`terraform init` not run), with their
    /// `module` blocks: what they output is unknown to guard, not to Terraform (HCL only).
    pub not_downloaded: Vec<(String, Origin)>,
}

impl From<ModelParts> for Model {
    fn from(p: ModelParts) -> Self {
        Model {
            name: p.name,
            input: p.input,
            resources: p.resources,
            drift: p.drift,
            outputs: p.outputs,
            variables: p.variables,
            providers: p.providers,
            module_calls: p.module_calls,
            plan: p.plan,
            not_downloaded: p.not_downloaded,
            by_type: OnceLock::new(),
        }
    }
}

impl Model {
    /// A name for what was read: the plan file, the module directory or the Terragrunt unit.
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }
    pub fn input(&self) -> Option<InputKind> {
        self.input
    }
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }
    /// The resources (managed and data) of one type, in model order.
    pub fn resources_of_type<'a>(
        &'a self,
        resource_type: &str,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        let positions = self
            .type_index()
            .get(resource_type)
            .map(Vec::as_slice)
            .unwrap_or_default();
        positions.iter().map(move |&i| &self.resources[i])
    }
    /// The resources of any of `types`, in model order.
    pub fn resources_of_types(&self, types: &[&str]) -> Vec<&Resource> {
        let index = self.type_index();
        let mut positions: Vec<usize> = types
            .iter()
            .filter_map(|t| index.get(*t))
            .flatten()
            .copied()
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions.into_iter().map(|i| &self.resources[i]).collect()
    }
    fn type_index(&self) -> &HashMap<Box<str>, Vec<usize>> {
        self.by_type.get_or_init(|| {
            let mut index: HashMap<Box<str>, Vec<usize>> = HashMap::new();
            for (i, r) in self.resources.iter().enumerate() {
                match index.get_mut(r.resource_type()) {
                    Some(positions) => positions.push(i),
                    None => {
                        index.insert(r.resource_type().into(), vec![i]);
                    }
                }
            }
            index
        })
    }
    /// `resource_drift[]`: changes made outside Terraform, found on refresh.
    pub fn drift(&self) -> &[Resource] {
        &self.drift
    }
    pub fn outputs(&self) -> &[Output] {
        &self.outputs
    }
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }
    /// `provider` blocks (HCL only).
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }
    /// Module calls and Terragrunt sources: where code comes from.
    pub fn module_calls(&self) -> &[ModuleCall] {
        &self.module_calls
    }
    /// Facts about the plan as a whole (plans only).
    pub fn plan(&self) -> Option<&PlanFacts> {
        self.plan.as_ref()
    }
    /// Module calls whose source was not downloaded, with their `module` blocks (HCL only).
    pub fn not_downloaded(&self) -> &[(String, Origin)] {
        &self.not_downloaded
    }
    /// Renames the model (a Terragrunt unit is named after its directory).
    pub fn set_name(&mut self, name: Arc<str>) {
        self.name = name;
    }
    /// Adds module calls found outside the module itself (a Terragrunt unit's source).
    pub fn extend_module_calls(&mut self, calls: impl IntoIterator<Item = ModuleCall>) {
        self.module_calls.extend(calls);
    }

    /// For a value unknown only because it comes out of a module that was not downloaded: the
    /// module's name. Policies say "not checked" for those instead of "known after apply".
    pub fn not_downloaded_source(&self, value: ValueRef<'_>) -> Option<&str> {
        if !value.contains_unknown() || self.not_downloaded.is_empty() {
            return None;
        }
        self.not_downloaded
            .iter()
            .find(|(_, call)| value.origins().contains(call))
            .map(|(name, _)| name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(
        address: &str,
        resource_type: &str,
        name: &str,
        module: &str,
        config: &str,
    ) -> Resource {
        Resource::from(ResourceParts {
            address: address.to_string(),
            mode: Mode::Managed,
            resource_type: resource_type.to_string(),
            name: name.to_string(),
            module: module.to_string(),
            values: Value::null(),
            change: None,
            location: None,
            module_calls: Vec::new(),
            instances_unknown: false,
            lifecycle: None,
            config_address: config.to_string(),
            input: InputKind::Hcl,
            references: Vec::new(),
        })
    }

    #[test]
    fn names_read_back_as_given_whether_or_not_the_address_holds_them() {
        let cases = [
            (
                "aws_s3_bucket.a",
                "aws_s3_bucket",
                "a",
                "",
                "aws_s3_bucket.a",
            ),
            (
                "module.net[\"x\"].aws_sg.this[0]",
                "aws_sg",
                "this",
                "module.net[\"x\"]",
                "module.net.aws_sg.this",
            ),
            // Names that are not parts of the address (a hand-written plan may say anything).
            ("x.y", "aws_other", "zz", "module.elsewhere", "q.r"),
            ("", "", "", "", ""),
            ("data.aws_ami.ü", "aws_ami", "ü", "", "data.aws_ami.ü"),
        ];
        for (address, resource_type, name, module, config) in cases {
            let r = parts(address, resource_type, name, module, config);
            assert_eq!(r.address(), address);
            assert_eq!(r.resource_type(), resource_type);
            assert_eq!(r.name(), name);
            assert_eq!(r.module(), module);
            assert_eq!(r.config_address(), config);
            let cloned = r.clone();
            assert_eq!(cloned.address(), address);
        }
        // Parts of the address are not stored twice.
        let r = parts(
            "module.m.aws_sg.this",
            "aws_sg",
            "this",
            "module.m",
            "module.m.aws_sg.this",
        );
        assert_eq!(r.names.len(), "module.m.aws_sg.this".len());
    }

    #[test]
    fn rarely_set_parts_read_back() {
        let mut r = parts("a.b", "a", "b", "", "a.b");
        assert!(r.extra.is_none());
        assert!(r.references().is_empty() && r.module_calls().is_empty());
        assert!(r.lifecycle().is_none() && r.written_arguments().is_none());
        r.push_reference(Reference {
            attribute: "x".into(),
            block: "c.d".into(),
            instance: None,
        });
        r.set_written_arguments(["x".to_string()].into());
        assert_eq!(r.references().len(), 1);
        assert_eq!(r.written_arguments().map(|w| w.len()), Some(1));
    }

    #[test]
    fn action_lists_of_any_length_read_back() {
        use Action::*;
        for list in [
            vec![],
            vec![Create],
            vec![Delete, Create],
            vec![Create, Delete, Update],
            vec![Create, Delete, Update, Read, Forget],
        ] {
            let actions = Actions(list.clone().into());
            assert_eq!(&*actions.0, list.as_slice());
            assert_eq!(actions, Actions(list.clone().into_iter().collect()));
            assert_eq!(format!("{:?}", actions.0), format!("{list:?}"));
        }
        assert_eq!(
            Actions(vec![Delete, Create].into()).class(),
            ActionClass::Replace
        );
        assert_ne!(
            Actions(vec![Create].into()),
            Actions(vec![Create, Create].into())
        );
    }

    #[test]
    fn change_details_read_back_and_empty_ones_are_not_kept() {
        let mut change = Change::new(
            Actions(vec![Action::Update].into()),
            Value::null(),
            Value::null(),
        );
        change.set_details(ChangeDetails::default());
        assert!(change.details.is_none());
        change.set_details(ChangeDetails {
            previous_address: Some("a.old".into()),
            replace_paths: vec![vec!["x".into()]],
            ..ChangeDetails::default()
        });
        assert_eq!(change.previous_address(), Some("a.old"));
        assert_eq!(change.replace_paths().len(), 1);
        assert_eq!(change.action_reason(), None);
        assert!(change.importing().is_none() && change.deposed().is_none());
    }
}

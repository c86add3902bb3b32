//! The one value type every input turns into.
//!
//! A value is known, unknown or null, and carries two marks that travel with it: whether it is
//! sensitive, and where it came from (its origins). Unknown is a state of its own: the peers' worst
//! false negatives come from reading "unknown" as "absent" and passing. Policies ask
//! [`Value::is_unknown`] and say so instead of guessing.

use crate::store::{NodeId, Shape, Store};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where a value (or a piece of one) was written: a byte range in a file.
///
/// Line and column are computed only when a report is rendered. 16 bytes: a resource carries
/// one per written value, so the file is a [`FileId`] and the offsets are 32-bit (inputs over
/// 4 GiB are refused when they are read).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
    pub kind: OriginKind,
}

// Nobody grows an origin by accident: the model holds one per written value.
const _: () = assert!(std::mem::size_of::<Origin>() == 16);

impl Origin {
    /// An origin from byte offsets. Offsets past 4 GiB cannot occur: every loader refuses such
    /// a file before parsing it (the expect names the invariant; loaders run under
    /// `catch_unwind`, so a bug becomes an input error, not a pass).
    pub fn new(file: FileId, start: usize, end: usize, kind: OriginKind) -> Origin {
        let offset = |n: usize| u32::try_from(n).expect("inputs over 4 GiB are refused when read");
        Origin {
            file,
            start: offset(start),
            end: offset(end),
            kind,
        }
    }
    /// The path of the file, as shown in reports.
    pub fn path(&self) -> &'static str {
        self.file.as_str()
    }
    /// The byte range, for slicing the file's text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A file path, interned: 4 bytes instead of a shared string in every [`Origin`].
///
/// Paths are interned once per process in a table that only grows (a run names each file once;
/// a path is never forgotten, so ids stay valid for the life of every model and report). It
/// reads as the path: `Display`, `Debug`, `Deref<Target = str>` and the order are the path's,
/// so sorting origins orders them by file name as before, whatever order files were read in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId(u32);

struct FileTable {
    paths: Vec<&'static str>,
    ids: std::collections::HashMap<&'static str, FileId>,
}

static FILES: std::sync::LazyLock<std::sync::RwLock<FileTable>> = std::sync::LazyLock::new(|| {
    std::sync::RwLock::new(FileTable {
        paths: Vec::new(),
        ids: std::collections::HashMap::new(),
    })
});

impl FileId {
    /// The id of `path`, adding it to the table the first time.
    pub fn intern(path: &str) -> FileId {
        if let Some(&id) = read_files().ids.get(path) {
            return id;
        }
        let mut files = FILES
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&id) = files.ids.get(path) {
            return id;
        }
        // Leaked on purpose: the table lives as long as the process, and handing out
        // `&'static str` lets a path be read without holding the lock.
        let path: &'static str = Box::leak(path.into());
        let id = FileId(u32::try_from(files.paths.len()).expect("fewer than 4 billion files"));
        files.paths.push(path);
        files.ids.insert(path, id);
        id
    }
    pub fn as_str(self) -> &'static str {
        read_files().paths[self.0 as usize]
    }
}

fn read_files() -> std::sync::RwLockReadGuard<'static, FileTable> {
    FILES
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl std::ops::Deref for FileId {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for FileId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for FileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for FileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialOrd for FileId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FileId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self == other {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for FileId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl From<&str> for FileId {
    fn from(path: &str) -> FileId {
        FileId::intern(path)
    }
}

impl From<String> for FileId {
    fn from(path: String) -> FileId {
        FileId::intern(&path)
    }
}

impl From<&String> for FileId {
    fn from(path: &String) -> FileId {
        FileId::intern(path)
    }
}

impl From<Arc<str>> for FileId {
    fn from(path: Arc<str>) -> FileId {
        FileId::intern(&path)
    }
}

impl From<&Arc<str>> for FileId {
    fn from(path: &Arc<str>) -> FileId {
        FileId::intern(path)
    }
}

/// What kind of text produced a value; reports prefer the origin a person would edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OriginKind {
    /// An attribute or block written in a resource.
    Literal,
    /// An entry in a `.tfvars` file or a `--var`.
    Tfvars,
    /// The default of a `variable` block.
    VariableDefault,
    /// An argument of a `module` call.
    ModuleArgument,
    /// An entry of a Terragrunt unit's `inputs`.
    TerragruntInput,
    /// A `locals` entry.
    Local,
}

impl OriginKind {
    /// Higher means more likely to be the line a person edits to fix a finding.
    pub fn edit_priority(self) -> u8 {
        match self {
            OriginKind::Tfvars => 6,
            OriginKind::TerragruntInput => 5,
            OriginKind::ModuleArgument => 4,
            OriginKind::VariableDefault => 3,
            OriginKind::Local => 2,
            OriginKind::Literal => 1,
        }
    }
}

/// A value with its marks.
///
/// `Debug` never prints the text of a value that [`Value::is_sensitive`].
#[derive(Clone, PartialEq, Default)]
pub struct Value {
    pub kind: Kind,
    /// Set when Terraform (a mask, a `sensitive` variable or output) or the provider schema says so.
    /// Policies read this mark: it is what Terraform itself knows.
    pub sensitive: bool,
    /// Set by [`crate::classify::classify`] when guard judges the value a secret although Terraform
    /// may not (a secret-named attribute at any depth, a detector match, the value of a sensitive
    /// or secret-named variable or output). Only display reads it: see [`Value::is_sensitive`].
    pub secret: bool,
    pub origins: Vec<Origin>,
}

/// The shape of a value.
///
/// Lists and objects are shared (`Arc`): copying a value, as a reference to a whole local or
/// variable does for every resource that reads it, is a reference count, not a tree. Change one
/// through [`Kind::list_mut`]/[`Kind::object_mut`] (copy on write).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Kind {
    #[default]
    Null,
    /// Known only after apply, or not knowable statically.
    Unknown,
    Bool(bool),
    Number(f64),
    String(String),
    List(Arc<Vec<Value>>),
    Object(Arc<BTreeMap<String, Value>>),
}

impl Kind {
    /// A list kind.
    pub fn list(items: Vec<Value>) -> Kind {
        Kind::List(Arc::new(items))
    }
    /// An object kind.
    pub fn object(map: BTreeMap<String, Value>) -> Kind {
        Kind::Object(Arc::new(map))
    }
    /// The items of a list, to change (copied first when shared); `None` for anything else.
    pub fn list_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Kind::List(items) => Some(Arc::make_mut(items)),
            _ => None,
        }
    }
    /// The attributes of an object, to change (copied first when shared); `None` for anything
    /// else.
    pub fn object_mut(&mut self) -> Option<&mut BTreeMap<String, Value>> {
        match self {
            Kind::Object(map) => Some(Arc::make_mut(map)),
            _ => None,
        }
    }
}

/// The answer to a yes/no question about a value that may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    pub fn is_yes(self) -> bool {
        self == Tri::Yes
    }
    pub fn is_no(self) -> bool {
        self == Tri::No
    }
}

static NULL: Value = Value {
    kind: Kind::Null,
    sensitive: false,
    secret: false,
    origins: Vec::new(),
};

impl Value {
    pub fn new(kind: Kind) -> Self {
        Value {
            kind,
            sensitive: false,
            secret: false,
            origins: Vec::new(),
        }
    }
    pub fn null() -> Self {
        Value::new(Kind::Null)
    }
    pub fn unknown() -> Self {
        Value::new(Kind::Unknown)
    }
    pub fn string(s: impl Into<String>) -> Self {
        Value::new(Kind::String(s.into()))
    }
    pub fn bool(b: bool) -> Self {
        Value::new(Kind::Bool(b))
    }
    pub fn number(n: f64) -> Self {
        Value::new(Kind::Number(n))
    }
    pub fn list(items: Vec<Value>) -> Self {
        Value::new(Kind::list(items))
    }
    pub fn object(map: BTreeMap<String, Value>) -> Self {
        Value::new(Kind::object(map))
    }
    /// An object from its attributes; a later duplicate key replaces an earlier one.
    pub fn object_from(members: impl IntoIterator<Item = (String, Value)>) -> Self {
        Value::object(members.into_iter().collect())
    }
    /// This value with the marks (sensitivity and origins) of `at`.
    pub fn with_marks_of(mut self, at: ValueRef<'_>) -> Self {
        self.sensitive = at.is_marked_sensitive();
        self.secret = at.store.is_secret(at.node);
        self.origins = at.origins().to_vec();
        self
    }
    /// This value with `origins` added.
    pub fn with_origins(mut self, origins: &[Origin]) -> Self {
        self.origins.extend_from_slice(origins);
        self
    }
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origins.push(origin);
        self
    }
    pub fn with_sensitive(mut self, sensitive: bool) -> Self {
        self.sensitive = sensitive;
        self
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown)
    }
    /// True when this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match &self.kind {
            Kind::Unknown => true,
            Kind::List(items) => items.iter().any(Value::contains_unknown),
            Kind::Object(map) => map.values().any(Value::contains_unknown),
            _ => false,
        }
    }
    /// True when this value or anything inside it is marked sensitive.
    pub fn contains_sensitive(&self) -> bool {
        self.sensitive
            || match &self.kind {
                Kind::List(items) => items.iter().any(Value::contains_sensitive),
                Kind::Object(map) => map.values().any(Value::contains_sensitive),
                _ => false,
            }
    }

    /// Whether this value must never be shown: the single source of truth for every output.
    /// Terraform's mark or guard's classification ([`crate::classify::classify`]).
    pub fn is_sensitive(&self) -> bool {
        self.sensitive || self.secret
    }
    /// True when this value or anything inside it [`Value::is_sensitive`]: it is shown as
    /// `(sensitive)` as a whole.
    pub fn contains_hidden(&self) -> bool {
        self.is_sensitive()
            || match &self.kind {
                Kind::List(items) => items.iter().any(Value::contains_hidden),
                Kind::Object(map) => map.values().any(Value::contains_hidden),
                _ => false,
            }
    }

    /// The attribute `key` of an object; null for anything else or a missing key.
    pub fn get(&self, key: &str) -> &Value {
        match &self.kind {
            Kind::Object(map) => map.get(key).unwrap_or(&NULL),
            _ => &NULL,
        }
    }
    /// Follows a path of attribute names.
    pub fn path(&self, keys: &[&str]) -> &Value {
        keys.iter().fold(self, |v, k| v.get(k))
    }
    /// Whether `key` is present (with any value, null included) in an object.
    pub fn has(&self, key: &str) -> bool {
        matches!(&self.kind, Kind::Object(map) if map.contains_key(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::String(s) if s == "true" => Some(true),
            Kind::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(n) => Some(*n),
            Kind::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn as_list(&self) -> &[Value] {
        match &self.kind {
            Kind::List(items) => items,
            _ => &[],
        }
    }
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match &self.kind {
            Kind::Object(map) => Some(map),
            _ => None,
        }
    }

    /// A nested block type as a list of objects, as the plan represents it.
    ///
    /// HCL evaluation normalises blocks to lists already; a single object is accepted too so a
    /// policy never misses a block written in an unusual shape.
    pub fn blocks(&self, key: &str) -> Vec<&Value> {
        let v = self.get(key);
        match &v.kind {
            Kind::List(items) => items.iter().collect(),
            Kind::Object(_) => vec![v],
            _ => Vec::new(),
        }
    }

    /// Strings of a value that is a string or a list of strings; unknown elements are skipped
    /// (ask [`Value::contains_unknown`] first when that matters).
    pub fn strings(&self) -> Vec<&str> {
        match &self.kind {
            Kind::String(s) => vec![s.as_str()],
            Kind::List(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// `Yes` when the value is `true`, `No` when it is known and not true, `Unknown` when unknown.
    pub fn is_true(&self) -> Tri {
        match self.as_bool() {
            Some(true) => Tri::Yes,
            Some(false) => Tri::No,
            None if self.is_unknown() => Tri::Unknown,
            None => Tri::No,
        }
    }

    /// The origin a person would most likely edit to change this value.
    pub fn primary_origin(&self) -> Option<&Origin> {
        self.origins
            .iter()
            .max_by_key(|o| (o.kind.edit_priority(), std::cmp::Reverse(o.start)))
    }

    /// Visits every string leaf with the attribute path that leads to it.
    pub fn walk_strings<'a>(
        &'a self,
        path: &mut Vec<String>,
        f: &mut dyn FnMut(&[String], &'a Value, &'a str),
    ) {
        match &self.kind {
            Kind::String(s) => f(path, self, s),
            Kind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    item.walk_strings(path, f);
                    path.pop();
                }
            }
            Kind::Object(map) => {
                for (k, item) in map.iter() {
                    path.push(k.clone());
                    item.walk_strings(path, f);
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

/// Like the derived `Debug`, except that the kind of a sensitive value is not shown: a `{:?}` in a
/// log, a panic message or a test failure must not print a secret.
impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Value");
        if self.is_sensitive() {
            d.field("kind", &format_args!("{SENSITIVE}"));
        } else {
            d.field("kind", &self.kind);
        }
        d.field("sensitive", &self.sensitive)
            .field("secret", &self.secret)
            .field("origins", &self.origins)
            .finish()
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::string(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::string(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::bool(b)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::number(n)
    }
}

/// Renders a number the way Terraform prints it: integers without a fractional part.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// What a sensitive value looks like in every message and source snippet.
pub const SENSITIVE: &str = "(sensitive)";

/// A short, safe rendering of a value for a message: sensitive values are redacted, unknown values
/// say so, and long or structured values are summarised rather than echoed.
pub fn display_safe<'m>(value: impl Into<ValueRef<'m>>) -> String {
    let value: ValueRef<'m> = value.into();
    if value.contains_hidden() {
        return SENSITIVE.to_string();
    }
    match value.kind() {
        ValueKind::Null => "null".to_string(),
        ValueKind::Unknown => "(known after apply)".to_string(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Number(n) => format_number(n),
        ValueKind::String(s) if s.chars().count() <= 120 => s.to_string(),
        ValueKind::String(s) => format!("({} characters)", s.chars().count()),
        ValueKind::List(items)
            if items.len() <= 3
                && items.iter().all(|i| {
                    matches!(
                        i.kind(),
                        ValueKind::String(_) | ValueKind::Number(_) | ValueKind::Bool(_)
                    )
                }) =>
        {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(display_safe)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        ValueKind::List(items) => format!("({} items)", items.len()),
        ValueKind::Object(map) => format!("({} attributes)", map.len()),
    }
}

/// The stand-in the HCL loader gives the id or ARN of a resource the configuration manages:
/// known after apply, but never null. Policies that need the actual identity (pairing
/// companions) treat it as unknown.
pub fn managed_identity_stand_in(ty: &str, name: &str, attribute: &str) -> String {
    format!("({ty}.{name}.{attribute}, known after apply)")
}

/// The stand-in the HCL loader gives an address block whose address is known only after apply
/// but whose size is not: `"${chomp(data.http.ip.response_body)}/32"` is one host, whatever the
/// address; a VPC's or subnet's own `cidr_block` is at most a /16. `what` names where it comes
/// from, `prefix` is the shortest prefix length it can have. Only the network policies read it
/// ([`bounded_block_prefix`]); to every other policy it is a string that is not a CIDR.
pub fn bounded_block_stand_in(what: &str, prefix: u32) -> String {
    format!("({what}, known after apply)/{prefix}")
}

/// The prefix length of a [`bounded_block_stand_in`].
pub fn bounded_block_prefix(s: &str) -> Option<u32> {
    let (head, prefix) = s.rsplit_once('/')?;
    if !(head.starts_with('(') && head.ends_with(", known after apply)")) {
        return None;
    }
    prefix.parse::<u32>().ok().filter(|p| *p <= 128)
}

/// Whether `s` is a [`managed_identity_stand_in`].
pub fn is_managed_identity_stand_in(s: &str) -> bool {
    s.starts_with('(') && s.ends_with(", known after apply)")
}

/// A read-only view of a value in a model: what policies read.
///
/// It is `Copy` and borrows from the model's compact store ([`crate::store`]), so the
/// representation behind it can change without touching a policy. `Debug` never prints the text
/// of a sensitive value.
#[derive(Clone, Copy)]
pub struct ValueRef<'m> {
    store: &'m Store,
    node: NodeId,
}

/// The shape of a value seen through a [`ValueRef`].
#[derive(Debug, Clone, Copy)]
pub enum ValueKind<'m> {
    Null,
    /// Known only after apply, or not knowable statically.
    Unknown,
    Bool(bool),
    Number(f64),
    String(&'m str),
    List(ListRef<'m>),
    Object(ObjectRef<'m>),
}

/// The items of a list value.
#[derive(Clone, Copy)]
pub struct ListRef<'m> {
    store: &'m Store,
    first: NodeId,
    len: u32,
}

/// The attributes of an object value, in key order.
#[derive(Clone, Copy)]
pub struct ObjectRef<'m> {
    store: &'m Store,
    first: NodeId,
    keys: u32,
    len: u32,
}

impl std::fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_value().fmt(f)
    }
}
impl std::fmt::Debug for ListRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
impl std::fmt::Debug for ObjectRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'m> ListRef<'m> {
    pub fn len(self) -> usize {
        self.len as usize
    }
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
    pub fn get(self, index: usize) -> Option<ValueRef<'m>> {
        self.iter().get(index)
    }
    pub fn iter(self) -> Items<'m> {
        Items {
            store: self.store,
            next: self.first,
            end: self.first + self.len,
        }
    }
}

impl<'m> IntoIterator for ListRef<'m> {
    type Item = ValueRef<'m>;
    type IntoIter = Items<'m>;
    fn into_iter(self) -> Items<'m> {
        self.iter()
    }
}

/// The items of a list (or the blocks of a block type), in order.
#[derive(Clone)]
pub struct Items<'m> {
    store: &'m Store,
    next: NodeId,
    end: NodeId,
}

impl<'m> Items<'m> {
    fn empty(store: &'m Store) -> Self {
        Items {
            store,
            next: 0,
            end: 0,
        }
    }
    /// True when there is nothing (left) to visit.
    pub fn is_empty(&self) -> bool {
        self.next >= self.end
    }
    /// The items (left) to visit, without consuming these.
    pub fn iter(&self) -> Items<'m> {
        self.clone()
    }
    pub fn first(&self) -> Option<ValueRef<'m>> {
        self.get(0)
    }
    pub fn get(&self, index: usize) -> Option<ValueRef<'m>> {
        let node = u32::try_from(index).ok()?.checked_add(self.next)?;
        (node < self.end).then(|| ValueRef::at(self.store, node))
    }
}
impl<'m> Iterator for Items<'m> {
    type Item = ValueRef<'m>;
    fn next(&mut self) -> Option<ValueRef<'m>> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        Some(ValueRef::at(self.store, self.next - 1))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end.saturating_sub(self.next) as usize;
        (n, Some(n))
    }
}
impl DoubleEndedIterator for Items<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        Some(ValueRef::at(self.store, self.end))
    }
}
impl ExactSizeIterator for Items<'_> {}

impl<'m> IntoIterator for ObjectRef<'m> {
    type Item = (&'m str, ValueRef<'m>);
    type IntoIter = Members<'m>;
    fn into_iter(self) -> Members<'m> {
        Members {
            object: self,
            next: 0,
            end: self.len,
        }
    }
}

/// The attributes of an object, in key order.
#[derive(Clone)]
pub struct Members<'m> {
    object: ObjectRef<'m>,
    next: u32,
    end: u32,
}

impl<'m> Members<'m> {
    fn at(&self, i: u32) -> (&'m str, ValueRef<'m>) {
        let o = self.object;
        (o.store.key(o.keys + i), ValueRef::at(o.store, o.first + i))
    }
}
impl<'m> Iterator for Members<'m> {
    type Item = (&'m str, ValueRef<'m>);
    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        Some(self.at(self.next - 1))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = (self.end - self.next) as usize;
        (n, Some(n))
    }
}
impl DoubleEndedIterator for Members<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        Some(self.at(self.end))
    }
}
impl ExactSizeIterator for Members<'_> {}

impl<'m> ObjectRef<'m> {
    pub fn len(self) -> usize {
        self.len as usize
    }
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
    pub fn get(self, key: &str) -> Option<ValueRef<'m>> {
        self.store
            .member(self.first, self.keys, self.len, key)
            .map(|node| ValueRef::at(self.store, node))
    }
    pub fn contains_key(self, key: &str) -> bool {
        self.get(key).is_some()
    }
    /// Attribute names and values in key order.
    pub fn iter(self) -> Members<'m> {
        self.into_iter()
    }
    pub fn keys(self) -> impl DoubleEndedIterator<Item = &'m str> + Clone + 'm {
        self.iter().map(|(k, _)| k)
    }
    pub fn values(self) -> impl DoubleEndedIterator<Item = ValueRef<'m>> + Clone + 'm {
        self.iter().map(|(_, v)| v)
    }
}

impl<'m> From<&ValueRef<'m>> for ValueRef<'m> {
    fn from(value: &ValueRef<'m>) -> Self {
        *value
    }
}

impl<'m> ValueRef<'m> {
    pub(crate) fn at(store: &'m Store, node: NodeId) -> Self {
        ValueRef { store, node }
    }

    /// The null value.
    pub fn null() -> ValueRef<'static> {
        ValueRef::at(crate::store::null_store(), 0)
    }

    pub fn kind(self) -> ValueKind<'m> {
        let store = self.store;
        match store.shape(self.node) {
            Shape::Null => ValueKind::Null,
            Shape::Unknown => ValueKind::Unknown,
            Shape::Bool(b) => ValueKind::Bool(b),
            Shape::Number(n) => ValueKind::Number(n),
            Shape::String(s) => ValueKind::String(s),
            Shape::List(first, len) => ValueKind::List(ListRef { store, first, len }),
            Shape::Object(first, keys, len) => ValueKind::Object(ObjectRef {
                store,
                first,
                keys,
                len,
            }),
        }
    }

    /// The attribute `key` of an object; null for anything else or a missing key.
    pub fn get(self, key: &str) -> ValueRef<'m> {
        match self.store.shape(self.node) {
            Shape::Object(first, keys, len) => match self.store.member(first, keys, len, key) {
                Some(node) => ValueRef::at(self.store, node),
                None => ValueRef::null(),
            },
            _ => ValueRef::null(),
        }
    }
    /// Follows a path of attribute names.
    pub fn path(self, keys: &[&str]) -> ValueRef<'m> {
        keys.iter().fold(self, |v, k| v.get(k))
    }
    /// Whether `key` is present (with any value, null included) in an object.
    pub fn has(self, key: &str) -> bool {
        self.as_object().is_some_and(|o| o.contains_key(key))
    }
    /// A nested block type as its blocks, as the plan represents it (a list of objects); a single
    /// object is accepted too so a policy never misses a block written in an unusual shape.
    pub fn blocks(self, key: &str) -> Items<'m> {
        let v = self.get(key);
        match v.store.shape(v.node) {
            Shape::List(first, len) => Items {
                store: v.store,
                next: first,
                end: first + len,
            },
            Shape::Object(..) => Items {
                store: v.store,
                next: v.node,
                end: v.node + 1,
            },
            _ => Items::empty(v.store),
        }
    }
    /// The items of a list; empty for anything else.
    pub fn as_list(self) -> ListRef<'m> {
        match self.kind() {
            ValueKind::List(list) => list,
            _ => ListRef {
                store: self.store,
                first: 0,
                len: 0,
            },
        }
    }
    /// The attributes of an object; `None` for anything else.
    pub fn as_object(self) -> Option<ObjectRef<'m>> {
        match self.kind() {
            ValueKind::Object(object) => Some(object),
            _ => None,
        }
    }
    pub fn is_list(self) -> bool {
        matches!(self.kind(), ValueKind::List(_))
    }
    pub fn is_object(self) -> bool {
        matches!(self.kind(), ValueKind::Object(_))
    }

    pub fn as_str(self) -> Option<&'m str> {
        match self.kind() {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(self) -> Option<bool> {
        match self.kind() {
            ValueKind::Bool(b) => Some(b),
            ValueKind::String("true") => Some(true),
            ValueKind::String("false") => Some(false),
            _ => None,
        }
    }
    pub fn as_f64(self) -> Option<f64> {
        match self.kind() {
            ValueKind::Number(n) => Some(n),
            ValueKind::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    /// `Yes` when the value is `true`, `No` when it is known and not true, `Unknown` when unknown.
    pub fn is_true(self) -> Tri {
        match self.as_bool() {
            Some(true) => Tri::Yes,
            Some(false) => Tri::No,
            None if self.is_unknown() => Tri::Unknown,
            None => Tri::No,
        }
    }
    pub fn is_null(self) -> bool {
        matches!(self.kind(), ValueKind::Null)
    }
    pub fn is_unknown(self) -> bool {
        matches!(self.kind(), ValueKind::Unknown)
    }
    /// Whether this value must never be shown: Terraform's mark or guard's classification.
    pub fn is_sensitive(self) -> bool {
        self.store.is_marked_sensitive(self.node) || self.store.is_secret(self.node)
    }
    /// Terraform's own mark only (a mask, a `sensitive` variable or output, the provider schema).
    pub fn is_marked_sensitive(self) -> bool {
        self.store.is_marked_sensitive(self.node)
    }
    fn children(self) -> Items<'m> {
        match self.store.shape(self.node) {
            Shape::List(first, len) | Shape::Object(first, _, len) => Items {
                store: self.store,
                next: first,
                end: first + len,
            },
            _ => Items::empty(self.store),
        }
    }
    /// True when this value or anything inside it is unknown.
    pub fn contains_unknown(self) -> bool {
        self.is_unknown() || self.children().any(ValueRef::contains_unknown)
    }
    /// True when this value or anything inside it carries Terraform's sensitive mark.
    pub fn contains_sensitive(self) -> bool {
        self.is_marked_sensitive() || self.children().any(ValueRef::contains_sensitive)
    }
    /// True when this value or anything inside it [`ValueRef::is_sensitive`].
    pub fn contains_hidden(self) -> bool {
        self.is_sensitive() || self.children().any(ValueRef::contains_hidden)
    }
    /// Where the value was written (empty for plan input).
    pub fn origins(self) -> &'m [Origin] {
        self.store.origins(self.node)
    }
    /// The origin a person would most likely edit to change this value.
    pub fn primary_origin(self) -> Option<&'m Origin> {
        self.origins()
            .iter()
            .max_by_key(|o| (o.kind.edit_priority(), std::cmp::Reverse(o.start)))
    }
    /// Strings of a value that is a string or a list of strings; unknown elements are skipped.
    pub fn strings(self) -> Vec<&'m str> {
        match self.kind() {
            ValueKind::String(s) => vec![s],
            ValueKind::List(items) => items.iter().filter_map(ValueRef::as_str).collect(),
            _ => Vec::new(),
        }
    }
    /// Visits every string leaf with the attribute path that leads to it.
    pub fn walk_strings(
        self,
        path: &mut Vec<String>,
        f: &mut dyn FnMut(&[String], ValueRef<'m>, &'m str),
    ) {
        match self.kind() {
            ValueKind::String(s) => f(path, self, s),
            ValueKind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    item.walk_strings(path, f);
                    path.pop();
                }
            }
            ValueKind::Object(map) => {
                for (k, item) in map {
                    path.push(k.to_string());
                    item.walk_strings(path, f);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    /// A short, safe rendering for a message: see [`display_safe`].
    pub fn shown(self) -> String {
        display_safe(self)
    }
    /// Whether both values have the same shape and content (marks and origins of nested values
    /// included, the marks of these two not).
    pub fn same_content(self, other: ValueRef<'_>) -> bool {
        crate::store::same_kind(self.store, self.node, other.store, other.node)
    }
    /// An owned copy, for a loader or a policy that builds values of its own from a model's.
    pub fn to_value(self) -> Value {
        self.store.to_value(self.node)
    }
}

//! The compact value store behind [`crate::ValueRef`].
//!
//! A loader builds values as [`Value`] trees; a resource (or output, variable, provider) freezes
//! them into one [`Store`] when it is made: 16-byte nodes in one `Vec`, the children of a list or
//! an object contiguous, object keys interned ([`Sym`], one interner per process) and sorted, the
//! text of every string in one buffer, the sensitive and secret marks as bits of a node, and
//! origins in a sparse side table (a plan has none). A 64-byte tree node with a `BTreeMap` per
//! object becomes 16 bytes plus 4 per attribute.

use crate::value::{Kind, Origin, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

/// An interned attribute name: 4 bytes instead of a `String` per attribute of every object.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Sym(u32);

const CHUNK_BITS: u32 = 12;
const CHUNK_LEN: usize = 1 << CHUNK_BITS;
const CHUNKS: usize = 4096;

/// The names, by symbol, in chunks that are never moved: reading a name takes no lock.
static NAMES: [OnceLock<Box<[OnceLock<&'static str>]>>; CHUNKS] =
    [const { OnceLock::new() }; CHUNKS];
/// Symbol by name; only interning takes this lock.
static SYMBOLS: Mutex<Option<HashMap<&'static str, Sym>>> = Mutex::new(None);

thread_local! {
    /// Each thread's names seen so far: building a store rarely touches the shared lock.
    static CACHE: RefCell<HashMap<Box<str>, Sym>> = RefCell::new(HashMap::new());
}

impl Sym {
    /// The symbol of `name`, interning it on first use. Names live as long as the process: they
    /// are attribute names, a few hundred per run for plans of any size.
    pub fn intern(name: &str) -> Sym {
        if let Some(sym) = CACHE.with(|c| c.borrow().get(name).copied()) {
            return sym;
        }
        let sym = {
            let mut guard = SYMBOLS.lock().unwrap_or_else(PoisonError::into_inner);
            let symbols = guard.get_or_insert_with(HashMap::new);
            match symbols.get(name) {
                Some(&sym) => sym,
                None => {
                    let id = symbols.len();
                    // 16 million distinct names: no input guard can read holds that many.
                    assert!(id < CHUNKS * CHUNK_LEN, "too many distinct attribute names");
                    let text: &'static str = Box::leak(name.into());
                    let chunk = NAMES[id >> CHUNK_BITS]
                        .get_or_init(|| (0..CHUNK_LEN).map(|_| OnceLock::new()).collect());
                    let _ = chunk[id & (CHUNK_LEN - 1)].set(text);
                    let sym = Sym(id as u32);
                    symbols.insert(text, sym);
                    sym
                }
            }
        };
        CACHE.with(|c| c.borrow_mut().insert(name.into(), sym));
        sym
    }

    /// The name.
    pub fn as_str(self) -> &'static str {
        let id = self.0 as usize;
        NAMES[id >> CHUNK_BITS]
            .get()
            .and_then(|chunk| chunk[id & (CHUNK_LEN - 1)].get())
            .copied()
            .unwrap_or("")
    }
}

/// The index of a node in its store.
pub(crate) type NodeId = u32;

const NULL: u8 = 0;
const UNKNOWN: u8 = 1;
const BOOL: u8 = 2;
const NUMBER: u8 = 3;
const STRING: u8 = 4;
const LIST: u8 = 5;
const OBJECT: u8 = 6;

/// Terraform's mark ([`Value::sensitive`]).
const SENSITIVE: u8 = 1;
/// guard's classification ([`Value::secret`]).
const SECRET: u8 = 2;
/// The node has an entry in the origin table.
const HAS_ORIGINS: u8 = 4;

/// One value: `tag` says which; `a` and `b` hold it.
///
/// - bool: `a` is 0 or 1; number: `b` holds the bits of the `f64`;
/// - string: `b` is the offset of its text in the store's buffer, `a` its length in bytes;
/// - list: `a` is the first item's node, `b` the number of items (items are contiguous);
/// - object: `a` is the first member's node, `b` the first key in the key table (low 32 bits)
///   and the number of members (high 32 bits); members are contiguous and sorted by name.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub(crate) struct Node {
    tag: u8,
    flags: u8,
    a: u32,
    b: u64,
}

const _: () = assert!(std::mem::size_of::<Node>() == 16);
const _: () = assert!(std::mem::size_of::<Sym>() == 4);

impl Node {
    const EMPTY: Node = Node {
        tag: NULL,
        flags: 0,
        a: 0,
        b: 0,
    };
}

/// Values frozen into nodes; see the module documentation.
#[derive(Clone, Default)]
pub struct Store {
    nodes: Vec<Node>,
    keys: Vec<Sym>,
    text: String,
    /// `(node, first origin, end)` for the nodes with origins, sorted by node.
    origin_index: Sparse<(NodeId, u32, u32)>,
    origins: Sparse<Origin>,
}

/// A vector that is usually empty, in one word: a plan's stores have no origins, and a big
/// plan has 230k stores.
#[derive(Clone, Debug)]
#[allow(clippy::box_collection)] // the box is the point: one word when empty
struct Sparse<T>(Option<Box<Vec<T>>>);

impl<T> Default for Sparse<T> {
    fn default() -> Self {
        Sparse(None)
    }
}

impl<T> Sparse<T> {
    fn items(&mut self) -> &mut Vec<T> {
        self.0.get_or_insert_with(Box::default)
    }
    fn push(&mut self, item: T) {
        self.items().push(item);
    }
    fn extend(&mut self, items: impl IntoIterator<Item = T>) {
        self.items().extend(items);
    }
    fn clear(&mut self) {
        if let Some(items) = &mut self.0 {
            items.clear();
        }
    }
    fn shrink_to_fit(&mut self) {
        match &mut self.0 {
            Some(items) if items.is_empty() => self.0 = None,
            Some(items) => items.shrink_to_fit(),
            None => {}
        }
    }
    fn capacity(&self) -> usize {
        self.0.as_ref().map_or(0, |items| items.capacity())
    }
}

impl<T> std::ops::Deref for Sparse<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<T> std::ops::DerefMut for Sparse<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.0 {
            Some(items) => items.as_mut_slice(),
            None => &mut [],
        }
    }
}

const _: () = assert!(std::mem::size_of::<Store>() == 88);

/// `Debug` says how big the store is, never what is in it.
impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("nodes", &self.nodes.len())
            .field("text", &self.text.len())
            .finish()
    }
}

/// What a node is, with its payload; the store-side counterpart of [`Kind`].
pub(crate) enum Shape<'m> {
    Null,
    Unknown,
    Bool(bool),
    Number(f64),
    String(&'m str),
    /// First item, count.
    List(NodeId, u32),
    /// First member, first key, count.
    Object(NodeId, u32, u32),
}

fn len32(n: usize) -> u32 {
    // A store is one resource's values: plans over 4 GiB are refused before decoding and HCL
    // values are bounded per expression (64 MB), and every loader runs under `catch_unwind`,
    // so reaching this is a bug that becomes an input error, not a pass.
    u32::try_from(n).expect("a value larger than 4 GiB")
}

impl Store {
    /// A store for values to be added with [`Store::add`].
    pub fn new() -> Self {
        Store::default()
    }

    /// Freezes `value` into this store and returns its node.
    pub(crate) fn add(&mut self, value: &Value) -> NodeId {
        let at = len32(self.nodes.len());
        self.nodes.push(Node::EMPTY);
        self.fill(at, value);
        at
    }

    /// Drops spare capacity once every value is added; origins are sorted for lookup.
    pub(crate) fn finish(&mut self) {
        self.origin_index.sort_unstable_by_key(|&(node, _, _)| node);
        self.nodes.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.text.shrink_to_fit();
        self.origin_index.shrink_to_fit();
        self.origins.shrink_to_fit();
    }

    fn fill(&mut self, at: NodeId, value: &Value) {
        let mut flags = 0;
        if value.sensitive {
            flags |= SENSITIVE;
        }
        if value.secret {
            flags |= SECRET;
        }
        if !value.origins.is_empty() {
            flags |= HAS_ORIGINS;
            let first = len32(self.origins.len());
            self.origins.extend(value.origins.iter().cloned());
            self.origin_index
                .push((at, first, len32(self.origins.len())));
        }
        let node = match &value.kind {
            Kind::Null => Node {
                tag: NULL,
                flags,
                a: 0,
                b: 0,
            },
            Kind::Unknown => Node {
                tag: UNKNOWN,
                flags,
                a: 0,
                b: 0,
            },
            Kind::Bool(v) => Node {
                tag: BOOL,
                flags,
                a: u32::from(*v),
                b: 0,
            },
            Kind::Number(n) => Node {
                tag: NUMBER,
                flags,
                a: 0,
                b: n.to_bits(),
            },
            Kind::String(s) => {
                let offset = self.text.len() as u64;
                self.text.push_str(s);
                Node {
                    tag: STRING,
                    flags,
                    a: len32(s.len()),
                    b: offset,
                }
            }
            Kind::List(items) => {
                let first = self.reserve(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.fill(first + i as u32, item);
                }
                Node {
                    tag: LIST,
                    flags,
                    a: first,
                    b: u64::from(len32(items.len())),
                }
            }
            Kind::Object(map) => {
                let first = self.reserve(map.len());
                let keys = len32(self.keys.len());
                // A `BTreeMap` iterates in key order: the members come out sorted.
                self.keys.extend(map.keys().map(|k| Sym::intern(k)));
                for (i, item) in map.values().enumerate() {
                    self.fill(first + i as u32, item);
                }
                Node {
                    tag: OBJECT,
                    flags,
                    a: first,
                    b: u64::from(keys) | (u64::from(len32(map.len())) << 32),
                }
            }
        };
        self.nodes[at as usize] = node;
    }

    fn reserve(&mut self, n: usize) -> NodeId {
        let first = len32(self.nodes.len());
        self.nodes.resize(self.nodes.len() + n, Node::EMPTY);
        first
    }

    fn node(&self, id: NodeId) -> Node {
        self.nodes.get(id as usize).copied().unwrap_or(Node::EMPTY)
    }

    pub(crate) fn shape(&self, id: NodeId) -> Shape<'_> {
        let n = self.node(id);
        match n.tag {
            UNKNOWN => Shape::Unknown,
            BOOL => Shape::Bool(n.a != 0),
            NUMBER => Shape::Number(f64::from_bits(n.b)),
            STRING => {
                let start = n.b as usize;
                Shape::String(self.text.get(start..start + n.a as usize).unwrap_or(""))
            }
            LIST => Shape::List(n.a, n.b as u32),
            OBJECT => Shape::Object(n.a, n.b as u32, (n.b >> 32) as u32),
            _ => Shape::Null,
        }
    }

    pub(crate) fn key(&self, index: u32) -> &'static str {
        self.keys.get(index as usize).map_or("", |sym| sym.as_str())
    }

    /// The member `name` of the object whose members start at node `first` and keys at `keys`.
    pub(crate) fn member(&self, first: NodeId, keys: u32, len: u32, name: &str) -> Option<NodeId> {
        let (mut lo, mut hi) = (0u32, len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.key(keys + mid).cmp(name) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(first + mid),
            }
        }
        None
    }

    pub(crate) fn is_marked_sensitive(&self, id: NodeId) -> bool {
        self.node(id).flags & SENSITIVE != 0
    }
    pub(crate) fn is_secret(&self, id: NodeId) -> bool {
        self.node(id).flags & SECRET != 0
    }
    pub(crate) fn set_secret(&mut self, id: NodeId) {
        if let Some(n) = self.nodes.get_mut(id as usize) {
            n.flags |= SECRET;
        }
    }

    pub(crate) fn origins(&self, id: NodeId) -> &[Origin] {
        if self.node(id).flags & HAS_ORIGINS == 0 {
            return &[];
        }
        match self
            .origin_index
            .binary_search_by_key(&id, |&(node, _, _)| node)
        {
            Ok(i) => {
                let (_, start, end) = self.origin_index[i];
                &self.origins[start as usize..end as usize]
            }
            Err(_) => &[],
        }
    }

    /// The value of node `id` as a tree again (for a loader or a policy that builds values).
    pub(crate) fn to_value(&self, id: NodeId) -> Value {
        let kind = match self.shape(id) {
            Shape::Null => Kind::Null,
            Shape::Unknown => Kind::Unknown,
            Shape::Bool(b) => Kind::Bool(b),
            Shape::Number(n) => Kind::Number(n),
            Shape::String(s) => Kind::String(s.to_string()),
            Shape::List(first, len) => {
                Kind::list((first..first + len).map(|c| self.to_value(c)).collect())
            }
            Shape::Object(first, keys, len) => Kind::object(
                (0..len)
                    .map(|i| (self.key(keys + i).to_string(), self.to_value(first + i)))
                    .collect(),
            ),
        };
        Value {
            kind,
            sensitive: self.is_marked_sensitive(id),
            secret: self.is_secret(id),
            origins: self.origins(id).to_vec(),
        }
    }

    /// Bytes held, for measurements.
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.keys.capacity() * std::mem::size_of::<Sym>()
            + self.text.capacity()
            + self.origin_index.capacity() * 12
            + self.origins.capacity() * std::mem::size_of::<Origin>()
    }
}

/// Two nodes (of any stores) hold the same value: shape, content, marks and origins, as
/// `Value`'s `==` compares.
pub(crate) fn same(a: &Store, x: NodeId, b: &Store, y: NodeId) -> bool {
    a.is_marked_sensitive(x) == b.is_marked_sensitive(y)
        && a.is_secret(x) == b.is_secret(y)
        && a.origins(x) == b.origins(y)
        && same_kind(a, x, b, y)
}

/// Like [`same`] without comparing the marks and origins of `x` and `y` themselves.
pub(crate) fn same_kind(a: &Store, x: NodeId, b: &Store, y: NodeId) -> bool {
    match (a.shape(x), b.shape(y)) {
        (Shape::Null, Shape::Null) | (Shape::Unknown, Shape::Unknown) => true,
        (Shape::Bool(p), Shape::Bool(q)) => p == q,
        (Shape::Number(p), Shape::Number(q)) => p == q,
        (Shape::String(p), Shape::String(q)) => p == q,
        (Shape::List(f, n), Shape::List(g, m)) => {
            n == m && (0..n).all(|i| same(a, f + i, b, g + i))
        }
        (Shape::Object(f, k, n), Shape::Object(g, l, m)) => {
            n == m && (0..n).all(|i| a.key(k + i) == b.key(l + i) && same(a, f + i, b, g + i))
        }
        _ => false,
    }
}

/// A value frozen into a store: what a streaming decoder gets back for each value it builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Root(pub(crate) NodeId);

/// Where a container started on the builder's stack.
#[derive(Clone, Copy, Debug)]
pub struct Start {
    nodes: usize,
    keys: usize,
}

/// Builds values into a store bottom-up, as a streaming decoder meets them (a plan's JSON goes
/// straight into the store, no tree in between). Leaves and finished containers wait on a stack
/// until their container ends; then its children move into the store, contiguous.
#[derive(Default)]
pub struct Builder {
    store: Store,
    stack: Vec<Node>,
    keys: Vec<Sym>,
    order: Vec<usize>,
}

fn flags_of(sensitive: bool) -> u8 {
    if sensitive {
        SENSITIVE
    } else {
        0
    }
}

impl Builder {
    pub fn new() -> Self {
        Builder::default()
    }
    pub fn null(&mut self, sensitive: bool) {
        self.leaf(NULL, sensitive, 0, 0);
    }
    pub fn unknown(&mut self, sensitive: bool) {
        self.leaf(UNKNOWN, sensitive, 0, 0);
    }
    pub fn bool(&mut self, value: bool, sensitive: bool) {
        self.leaf(BOOL, sensitive, u32::from(value), 0);
    }
    pub fn number(&mut self, value: f64, sensitive: bool) {
        self.leaf(NUMBER, sensitive, 0, value.to_bits());
    }
    pub fn string(&mut self, value: &str, sensitive: bool) {
        let offset = self.store.text.len() as u64;
        self.store.text.push_str(value);
        self.leaf(STRING, sensitive, len32(value.len()), offset);
    }
    fn leaf(&mut self, tag: u8, sensitive: bool, a: u32, b: u64) {
        self.stack.push(Node {
            tag,
            flags: flags_of(sensitive),
            a,
            b,
        });
    }
    /// Marks the start of a list or an object: its items (and, for an object, each preceded
    /// by [`Builder::key`]) follow.
    pub fn start(&self) -> Start {
        Start {
            nodes: self.stack.len(),
            keys: self.keys.len(),
        }
    }
    /// The name of the object member that follows.
    pub fn key(&mut self, name: &str) {
        self.keys.push(Sym::intern(name));
    }
    /// [`Builder::key`] with a name already interned.
    pub fn key_sym(&mut self, name: Sym) {
        self.keys.push(name);
    }
    /// The names given since `start`, for a decoder that adds members it did not meet.
    pub fn keys_since(&self, start: Start) -> &[Sym] {
        &self.keys[start.keys..]
    }
    pub fn end_list(&mut self, start: Start, sensitive: bool) {
        let first = len32(self.store.nodes.len());
        let len = self.stack.len() - start.nodes;
        self.store.nodes.extend(self.stack.drain(start.nodes..));
        self.keys.truncate(start.keys);
        self.leaf(LIST, sensitive, first, u64::from(len32(len)));
    }
    /// Ends an object: members sorted by name; of a name given twice, the last stays (as JSON
    /// decoders do).
    pub fn end_object(&mut self, start: Start, sensitive: bool) {
        let len = self.stack.len() - start.nodes;
        debug_assert_eq!(len, self.keys.len() - start.keys);
        let mut order = std::mem::take(&mut self.order);
        order.clear();
        order.extend(0..len);
        let keys = &self.keys[start.keys..];
        order.sort_by(|&x, &y| keys[x].as_str().cmp(keys[y].as_str()).then(y.cmp(&x)));
        order.dedup_by(|later, earlier| keys[*later] == keys[*earlier]);
        let first = len32(self.store.nodes.len());
        let key_start = len32(self.store.keys.len());
        for &i in &order {
            self.store.nodes.push(self.stack[start.nodes + i]);
            self.store.keys.push(keys[i]);
        }
        let count = order.len();
        self.order = order;
        self.stack.truncate(start.nodes);
        self.keys.truncate(start.keys);
        self.leaf(
            OBJECT,
            sensitive,
            first,
            u64::from(key_start) | (u64::from(len32(count)) << 32),
        );
    }
    /// Takes the one finished value off the stack into the store.
    pub fn root(&mut self) -> Root {
        let node = self.stack.pop().unwrap_or(Node::EMPTY);
        let at = len32(self.store.nodes.len());
        self.store.nodes.push(node);
        Root(at)
    }
    /// Freezes a tree into the same store.
    pub fn add(&mut self, value: &Value) -> Root {
        Root(self.store.add(value))
    }
    pub fn finish(mut self) -> Store {
        self.store.finish();
        self.store
    }
    /// The values built so far as a store of their exact size; the builder is left empty with
    /// its buffers kept, so one builder serves many resources without growing each anew.
    pub fn take(&mut self) -> Store {
        self.store
            .origin_index
            .sort_unstable_by_key(|&(node, _, _)| node);
        // `clone` allocates each buffer at its length: the spare capacity stays here.
        let mut store = self.store.clone();
        store.origin_index.shrink_to_fit();
        store.origins.shrink_to_fit();
        self.store.nodes.clear();
        self.store.keys.clear();
        self.store.text.clear();
        self.store.origin_index.clear();
        self.store.origins.clear();
        self.stack.clear();
        self.keys.clear();
        store
    }
}

/// One value frozen on its own (an output, a variable, a provider's configuration).
#[derive(Clone, Debug)]
pub struct Stored {
    store: Store,
    root: NodeId,
}

impl Stored {
    /// One value built with a [`Builder`].
    pub fn from_builder(builder: Builder, root: Root) -> Self {
        Stored {
            store: builder.finish(),
            root: root.0,
        }
    }
    pub fn new(value: &Value) -> Self {
        let mut store = Store::new();
        let root = store.add(value);
        store.finish();
        Stored { store, root }
    }
    pub fn get(&self) -> crate::ValueRef<'_> {
        crate::ValueRef::at(&self.store, self.root)
    }
    pub(crate) fn parts_mut(&mut self) -> (&mut Store, NodeId) {
        (&mut self.store, self.root)
    }
}

impl From<Value> for Stored {
    fn from(value: Value) -> Self {
        Stored::new(&value)
    }
}

impl Default for Stored {
    fn default() -> Self {
        Stored::new(&Value::null())
    }
}

/// The store of the null value, for [`crate::ValueRef::null`].
pub(crate) fn null_store() -> &'static Store {
    static NULL_STORE: OnceLock<Store> = OnceLock::new();
    NULL_STORE.get_or_init(|| {
        let mut store = Store::new();
        store.add(&Value::null());
        store
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_intern_once_and_resolve_without_a_lock() {
        let a = Sym::intern("storage_encrypted");
        let b = Sym::intern("storage_encrypted");
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "storage_encrypted");
        assert_ne!(Sym::intern("kms_key_id"), a);
        let other = std::thread::spawn(|| Sym::intern("storage_encrypted"))
            .join()
            .unwrap();
        assert_eq!(other, a);
    }

    #[test]
    fn a_frozen_value_thaws_to_the_same_tree() {
        let origin = Origin {
            file: "main.tf".into(),
            start: 3,
            end: 9,
            kind: crate::OriginKind::Literal,
        };
        let value = Value::object_from([
            ("b".to_string(), Value::list(vec![1.0.into(), "x".into()])),
            (
                "a".to_string(),
                Value::string("p").with_sensitive(true).with_origin(origin),
            ),
            ("c".to_string(), Value::unknown()),
            ("d".to_string(), Value::object_from([])),
        ]);
        let stored = Stored::new(&value);
        assert_eq!(stored.store.to_value(stored.root), value);
        let v = stored.get();
        assert_eq!(v.get("a").as_str(), Some("p"));
        assert!(v.get("a").is_marked_sensitive());
        assert_eq!(v.get("a").origins().len(), 1);
        assert!(v.get("b").origins().is_empty());
        assert_eq!(v.get("b").as_list().len(), 2);
        assert!(v.get("c").is_unknown());
        assert!(v.get("zz").is_null());
        let keys: Vec<&str> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "b", "c", "d"]);
    }
}

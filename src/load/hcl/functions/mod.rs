//! Terraform's pure built-in functions, with go-cty's semantics (read, not copied).
//!
//! Impure functions (`timestamp`, `uuid`, `bcrypt`, ...) return unknown, as Terraform's
//! validate-time scope does. Functions that read files are resolved by the caller (they need the
//! module directory and the sandbox) before this table is consulted.

use super::cidr;
use super::vals::*;
use base64::Engine as _;
use guard_policies::{Kind, Origin, Value};
use sha2::Digest;
use std::collections::BTreeMap;

mod collections;
mod conversion;
mod encoding;
mod legacy;
mod network;
mod numbers;
mod paths;
mod strings;

/// A family's table: its functions, or `next` for a name it does not know.
type Family = fn(&Call<'_>, &dyn Fn() -> R) -> R;

/// Every built-in function, by family, in the order they are asked.
const FAMILIES: [Family; 8] = [
    numbers::call,
    strings::call,
    collections::call,
    conversion::call,
    encoding::call,
    paths::call,
    network::call,
    legacy::call,
];

/// The first family that knows the function answers.
fn dispatch(c: &Call<'_>, families: &[Family]) -> R {
    match families.split_first() {
        Some((family, rest)) => family(c, &|| dispatch(c, rest)),
        None => err(format!("call to unknown function `{}`", c.name)),
    }
}

/// One call, for the family tables: the function's name, its arguments, and the arguments as
/// references (what marks and origins are derived from).
struct Call<'a> {
    name: &'a str,
    args: &'a [Value],
    refs: &'a [&'a Value],
}

/// The argument helpers every family table uses, bound to the names given (the arms read
/// `a(0)?`, `s(1)?`, `scalar(..)`, ...).
macro_rules! helpers {
    ($c:ident; $name:ident, $args:ident, $refs:ident, $a:ident, $s:ident, $n:ident, $scalar:ident, $str_out:ident, $container:ident) => {
        let $name: &str = $c.name;
        let $args: &[Value] = $c.args;
        let $refs: &[&Value] = $c.refs;
        let $a = |i: usize| -> Result<&Value, EvalError> {
            $args
                .get(i)
                .ok_or_else(|| EvalError(format!("{}: missing argument {}", $name, i + 1)))
        };
        let $s = |i: usize| -> Result<String, EvalError> { to_str($a(i)?) };
        let $n = |i: usize| -> Result<f64, EvalError> { to_num($a(i)?) };
        let $scalar = |k: Kind| -> R { Ok(derive(k, $refs)) };
        let $str_out = |x: String| -> R { Ok(derive(Kind::String(x), $refs)) };
        let $container = |k: Kind| -> R {
            let mut v = Value::new(k);
            for x in $refs {
                add_origins(&mut v, &x.origins);
                if x.sensitive {
                    v.sensitive = true;
                }
            }
            Ok(v)
        };
        let _ = (&$args, &$a, &$s, &$n, &$scalar, &$str_out, &$container);
    };
}
use helpers;

/// Functions that handle unknown elements themselves.
fn accepts_partial(name: &str) -> bool {
    matches!(
        name,
        "length"
            | "concat"
            | "merge"
            | "tolist"
            | "tomap"
            | "toset"
            | "lookup"
            | "element"
            | "keys"
            | "values"
            | "zipmap"
            | "flatten"
            | "coalesce"
            | "coalescelist"
            | "slice"
            | "reverse"
            | "compact"
            | "one"
            | "sensitive"
            | "nonsensitive"
            | "issensitive"
            | "contains"
            | "distinct"
            | "type"
            | "tostring"
            | "tonumber"
            | "tobool"
    )
}

fn impure(name: &str) -> bool {
    matches!(
        name,
        "timestamp"
            | "plantimestamp"
            | "uuid"
            | "uuidv5"
            | "bcrypt"
            | "rsadecrypt"
            | "timeadd"
            | "timecmp"
            | "base64gzip"
            | "yamlencode"
            | "textencodebase64"
            | "textdecodebase64"
            | "ephemeralasnull"
    ) || name.starts_with("provider::")
}

pub(super) fn call(name: &str, args: &[Value], at: &Origin) -> R {
    if impure(name) {
        return Ok(unknown_from(&args.iter().collect::<Vec<_>>()));
    }
    if !accepts_partial(name) && args.iter().any(Value::contains_unknown) {
        return Ok(unknown_from(&args.iter().collect::<Vec<_>>()));
    }
    let refs: Vec<&Value> = args.iter().collect();
    let a = |i: usize| -> Result<&Value, EvalError> {
        args.get(i)
            .ok_or_else(|| EvalError(format!("{name}: missing argument {}", i + 1)))
    };
    let container = |k: Kind| -> R {
        let mut v = Value::new(k);
        for x in &refs {
            add_origins(&mut v, &x.origins);
            if x.sensitive {
                v.sensitive = true;
            }
        }
        Ok(v)
    };
    let _ = at;
    // A network range whose address is known only after apply (a VPC's `cidr_block`): its
    // subnets are bounded the same way; hosts and masks are unknown.
    if let (true, Some(prefix)) = (
        name.starts_with("cidr"),
        args.first()
            .and_then(Value::as_str)
            .and_then(guard_policies::value::bounded_block_prefix),
    ) {
        let sub = |newbits: &Value| -> R {
            let p = prefix + u32::try_from(to_int(newbits)?).unwrap_or(u32::MAX).min(128);
            let stand_in = guard_policies::value::bounded_block_stand_in("a subnet", p.min(128));
            Ok(derive(Kind::String(stand_in), &refs))
        };
        return match name {
            "cidrsubnet" => sub(a(1)?),
            "cidrsubnets" => {
                let mut out = Vec::new();
                for i in 1..args.len() {
                    out.push(sub(a(i)?)?);
                }
                container(Kind::list(out))
            }
            _ => Ok(unknown_from(&refs)),
        };
    }
    let c = Call {
        name,
        args,
        refs: &refs,
    };
    dispatch(&c, &FAMILIES)
}

/// `yamldecode` with go-cty's yaml semantics for the data real code feeds it: mappings become
/// objects (keys as strings), sequences lists, scalars per the YAML 1.2 core schema; several
/// documents, aliases to nothing or non-scalar keys are errors.
///
/// yaml-rust2 is used rather than serde_yaml (deprecated and unmaintained since 2024) or its fork
/// serde_norway (wraps the C-derived `unsafe-libyaml`): it is pure safe Rust, maintained, has no
/// dependencies of note, and yields a plain tree that maps one-to-one onto our values. It is
/// only used for decoding; `yamlencode` stays unknown because matching go-yaml's exact output
/// byte for byte is not worth a guessed value.
/// How many values a YAML text decodes to once its aliases are expanded, counting up to just
/// past [`MAX_WORK`](super::vals::MAX_WORK): a few lines of anchors and aliases can stand for
/// billions of values ("billion laughs"), and the loader copies every alias.
fn yaml_expanded_size(text: &str) -> Result<usize, EvalError> {
    use yaml_rust2::parser::{Event, EventReceiver, Parser};
    struct Count {
        /// Values counted so far in each open collection.
        open: Vec<(usize, usize)>,
        anchors: std::collections::HashMap<usize, usize>,
        total: usize,
    }
    impl Count {
        fn add(&mut self, n: usize) {
            self.total = self.total.saturating_add(n);
            if let Some((_, count)) = self.open.last_mut() {
                *count = count.saturating_add(n);
            }
        }
    }
    impl EventReceiver for Count {
        fn on_event(&mut self, ev: Event) {
            if self.total > super::vals::MAX_WORK {
                return;
            }
            match ev {
                Event::Scalar(_, _, anchor, _) => {
                    if anchor > 0 {
                        self.anchors.insert(anchor, 1);
                    }
                    self.add(1);
                }
                Event::Alias(id) => {
                    let n = self.anchors.get(&id).copied().unwrap_or(1);
                    self.add(n);
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    self.open.push((anchor, 1));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some((anchor, n)) = self.open.pop() {
                        if anchor > 0 {
                            self.anchors.insert(anchor, n);
                        }
                        // The collection itself was counted on open; add what it holds.
                        self.total = self.total.saturating_add(1);
                        if let Some((_, count)) = self.open.last_mut() {
                            *count = count.saturating_add(n);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut count = Count {
        open: Vec::new(),
        anchors: std::collections::HashMap::new(),
        total: 0,
    };
    Parser::new_from_str(text)
        .load(&mut count, true)
        .map_err(|e| EvalError(format!("yamldecode: invalid YAML: {e}")))?;
    Ok(count.total)
}

fn yaml_decode(text: &str) -> R {
    use yaml_rust2::{Yaml, YamlLoader};
    let expanded = yaml_expanded_size(text)?;
    if expanded > super::vals::MAX_WORK {
        return Err(EvalError::limit(
            "yamldecode: the YAML expands (through its aliases) to more values than that",
        ));
    }
    let docs = YamlLoader::load_from_str(text)
        .map_err(|e| EvalError(format!("yamldecode: invalid YAML: {e}")))?;
    if docs.len() > 1 {
        return err("yamldecode: the string contains more than one YAML document");
    }
    fn conv(y: &Yaml, depth: usize) -> R {
        if depth > 256 {
            return err("yamldecode: nesting too deep");
        }
        Ok(match y {
            Yaml::Null | Yaml::BadValue => Value::null(),
            Yaml::Boolean(b) => Value::bool(*b),
            Yaml::Integer(i) => Value::new(Kind::Number(*i as f64)),
            Yaml::Real(r) => {
                let t = r.trim_start_matches('+');
                let n = match t {
                    ".inf" | ".Inf" | ".INF" => f64::INFINITY,
                    "-.inf" | "-.Inf" | "-.INF" => f64::NEG_INFINITY,
                    _ => t
                        .parse::<f64>()
                        .map_err(|_| EvalError(format!("yamldecode: invalid number {r}")))?,
                };
                Value::new(Kind::Number(n))
            }
            Yaml::String(s) => Value::string(s.clone()),
            Yaml::Array(items) => Value::list(
                items
                    .iter()
                    .map(|i| conv(i, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Yaml::Hash(h) => {
                let mut out = BTreeMap::new();
                for (k, v) in h {
                    let key = match k {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Real(r) => r.clone(),
                        Yaml::Boolean(b) => b.to_string(),
                        Yaml::Null => "null".to_string(),
                        _ => return err("yamldecode: only scalar mapping keys are supported"),
                    };
                    out.insert(key, conv(v, depth + 1)?);
                }
                Value::object(out)
            }
            Yaml::Alias(_) => return err("yamldecode: unresolved alias"),
        })
    }
    match docs.first() {
        Some(d) => conv(d, 0),
        None => Ok(Value::null()),
    }
}

/// `formatdate(spec, timestamp)` for an RFC 3339 timestamp, following Terraform's format
/// letters: `YYYY YY MMMM MMM MM M DD D EEEE EEE hh h HH H mm m ss s AA aa ZZZZZ ZZZZ ZZZ Z` and
/// quoted literals (`'...'`, `''` for a quote). Returns `Ok(None)` for letters outside that set
/// (the caller makes the result unknown) and an error for a timestamp that is not RFC 3339.
pub(super) fn format_date(spec: &str, ts: &str) -> Result<Option<String>, EvalError> {
    use chrono::{Datelike, Timelike};
    let t = chrono::DateTime::parse_from_rfc3339(ts)
        .map_err(|_| EvalError(format!("formatdate: not a valid RFC3339 timestamp: {ts:?}")))?;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // Quoted literal; `''` is a literal quote.
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    None => return err("formatdate: unterminated literal"),
                    Some('\'') if chars.get(j + 1) == Some(&'\'') => {
                        out.push('\'');
                        j += 2;
                    }
                    Some('\'') => break,
                    Some(ch) => {
                        out.push(*ch);
                        j += 1;
                    }
                }
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut run = 1;
        while chars.get(i + run) == Some(&c) {
            run += 1;
        }
        i += run;
        let off = t.offset().local_minus_utc();
        let (sign, abs) = if off < 0 { ('-', -off) } else { ('+', off) };
        let piece = match (c, run) {
            ('Y', 4) => format!("{:04}", t.year()),
            ('Y', 2) => format!("{:02}", t.year().rem_euclid(100)),
            ('M', 1) => t.month().to_string(),
            ('M', 2) => format!("{:02}", t.month()),
            ('M', 3) => MONTHS[t.month0() as usize][..3].to_string(),
            ('M', 4) => MONTHS[t.month0() as usize].to_string(),
            ('D', 1) => t.day().to_string(),
            ('D', 2) => format!("{:02}", t.day()),
            ('E', 3) => DAYS[t.weekday().num_days_from_monday() as usize][..3].to_string(),
            ('E', 4) => DAYS[t.weekday().num_days_from_monday() as usize].to_string(),
            ('h', 1) => t.hour().to_string(),
            ('h', 2) => format!("{:02}", t.hour()),
            ('H', 1) => (match t.hour() % 12 {
                0 => 12,
                h => h,
            })
            .to_string(),
            ('H', 2) => format!(
                "{:02}",
                match t.hour() % 12 {
                    0 => 12,
                    h => h,
                }
            ),
            ('A', 2) => (if t.hour() < 12 { "AM" } else { "PM" }).to_string(),
            ('a', 2) => (if t.hour() < 12 { "am" } else { "pm" }).to_string(),
            ('m', 1) => t.minute().to_string(),
            ('m', 2) => format!("{:02}", t.minute()),
            ('s', 1) => t.second().to_string(),
            ('s', 2) => format!("{:02}", t.second()),
            ('Z', 1) => {
                if off == 0 {
                    "Z".to_string()
                } else {
                    format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
                }
            }
            // Terraform: "UTC" for a zero offset, otherwise the ZZZZ form.
            ('Z', 3) if off == 0 => "UTC".to_string(),
            ('Z', 3) => format!("{sign}{:02}{:02}", abs / 3600, abs % 3600 / 60),
            ('Z', 4) => format!("{sign}{:02}{:02}", abs / 3600, abs % 3600 / 60),
            ('Z', 5) => format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60),
            _ => return Ok(None),
        };
        out.push_str(&piece);
    }
    Ok(Some(out))
}

fn list_v(items: Vec<Value>) -> Value {
    Value::list(items)
}

fn carry_mark(v: &Value, parent: &Value) -> Value {
    let mut v = v.clone();
    if parent.sensitive {
        v.sensitive = true;
    }
    v
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Go's `$1`/`${name}` replacement syntax for Rust's regex (the same, except bare `$name` ends at
/// a non-word character in both).
fn go_template_to_rust(s: &str) -> String {
    s.to_string()
}

/// `format` with Go-like verbs: `%s %d %f %t %v %q %x %X %o %b %e %%`, flags, width and precision.
pub(super) fn format(fmt: &str, args: &[Value]) -> Result<String, EvalError> {
    let mut out = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let mut argi = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if i >= chars.len() {
            return err("format: unterminated verb");
        }
        if chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while i < chars.len() && "+-# 0".contains(chars[i]) {
            flags.push(chars[i]);
            i += 1;
        }
        // Explicit argument index: %[2]s
        if i < chars.len() && chars[i] == '[' {
            let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
            if let Some(close) = close {
                let idx: String = chars[i + 1..close].iter().collect();
                argi = idx.parse::<usize>().unwrap_or(1).saturating_sub(1);
                i = close + 1;
            }
        }
        let mut width = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            width.push(chars[i]);
            i += 1;
        }
        let mut prec: Option<usize> = None;
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let mut p = String::new();
            while i < chars.len() && chars[i].is_ascii_digit() {
                p.push(chars[i]);
                i += 1;
            }
            let digits: usize = p
                .parse()
                .unwrap_or(if p.is_empty() { 0 } else { usize::MAX });
            check_len(digits, "format: the precision")?;
            prec = Some(digits);
        }
        let Some(&verb) = chars.get(i) else {
            return err("format: unterminated verb");
        };
        i += 1;
        let arg = args
            .get(argi)
            .ok_or_else(|| EvalError("format: not enough arguments".into()))?;
        argi += 1;
        let text = match verb {
            's' => to_str(arg)?,
            'v' => match &arg.kind {
                Kind::List(_) | Kind::Object(_) => {
                    let mut s = String::new();
                    to_json(arg, &mut s)?;
                    s
                }
                _ => to_str(arg)?,
            },
            'q' => {
                let mut s = String::new();
                to_json(&Value::string(to_str(arg)?), &mut s)?;
                s
            }
            't' => to_bool(arg)?.to_string(),
            'd' => {
                let n = to_num(arg)?;
                if n.fract() != 0.0 {
                    return err("format: %d requires a whole number");
                }
                let s = format!("{}", n as i64);
                if flags.contains('+') && n >= 0.0 {
                    format!("+{s}")
                } else {
                    s
                }
            }
            'f' | 'F' => format!("{:.*}", prec.unwrap_or(6), to_num(arg)?),
            'e' => format!("{:.*e}", prec.unwrap_or(6), to_num(arg)?),
            'g' => format!("{}", to_num(arg)?),
            'x' => format!("{:x}", to_num(arg)? as i64),
            'X' => format!("{:X}", to_num(arg)? as i64),
            'o' => format!("{:o}", to_num(arg)? as i64),
            'b' => format!("{:b}", to_num(arg)? as i64),
            _ => return err("format: unsupported verb"),
        };
        let text = match (verb, prec) {
            ('s', Some(p)) => text.chars().take(p).collect(),
            _ => text,
        };
        let w: usize = if width.is_empty() {
            0
        } else {
            width.parse().unwrap_or(usize::MAX)
        };
        check_len(w, "format: the padded value")?;
        let len = text.chars().count();
        if len < w {
            let pad = w - len;
            if flags.contains('-') {
                out.push_str(&text);
                out.push_str(&" ".repeat(pad));
            } else if flags.contains('0') && verb != 's' {
                let (sign, digits) = match text.strip_prefix('-') {
                    Some(d) => ("-", d.to_string()),
                    None => ("", text.clone()),
                };
                out.push_str(sign);
                out.push_str(&"0".repeat(pad));
                out.push_str(&digits);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Origin {
        Origin {
            file: "t.tf".into(),
            start: 0,
            end: 0,
            kind: guard_policies::OriginKind::Literal,
        }
    }

    fn call_s(name: &str, args: &[Value]) -> Option<String> {
        call(name, args, &at()).ok()?.as_str().map(str::to_string)
    }

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn toset_keeps_objects_that_contain_unknowns_and_drops_nothing_it_cannot_compare() {
        let subnet = |name: &str| {
            Value::object(BTreeMap::from([
                ("name".to_string(), s(name)),
                ("cidr_block".to_string(), Value::unknown()),
            ]))
        };
        let set = call(
            "toset",
            &[Value::list(vec![subnet("a"), subnet("a")])],
            &at(),
        )
        .expect("toset of objects");
        // Unknown values never compare equal: both elements stay, as in Terraform.
        assert!(matches!(&set.kind, Kind::List(items) if items.len() == 2));
        // An element that is itself unknown may equal another: the set is unknown.
        let set = call(
            "toset",
            &[Value::list(vec![s("a"), Value::unknown()])],
            &at(),
        )
        .expect("toset of strings");
        assert!(set.is_unknown());
    }

    #[test]
    fn cidr_functions_keep_the_size_of_a_range_of_unknown_address() {
        let vpc = s(&guard_policies::value::bounded_block_stand_in("vpc", 16));
        let subnet = call_s(
            "cidrsubnet",
            &[vpc.clone(), Value::number(8.0), Value::number(1.0)],
        )
        .expect("a subnet stand-in");
        assert_eq!(
            guard_policies::value::bounded_block_prefix(&subnet),
            Some(24)
        );
        let host = call("cidrhost", &[vpc, Value::number(1.0)], &at()).expect("cidrhost");
        assert!(host.is_unknown());
    }

    #[test]
    fn digests_match_terraform() {
        let hw = [s("hello world")];
        assert_eq!(
            call_s("md5", &hw).as_deref(),
            Some("5eb63bbbe01eeed093cb22bb8f5acdc3")
        );
        assert_eq!(
            call_s("sha1", &hw).as_deref(),
            Some("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
        );
        assert_eq!(
            call_s("sha256", &hw).as_deref(),
            Some("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        );
        assert_eq!(
            call_s("sha512", &hw).as_deref(),
            Some("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")
        );
        assert_eq!(
            call_s("base64sha256", &hw).as_deref(),
            Some("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        );
        assert_eq!(
            call_s("base64sha512", &hw).as_deref(),
            Some("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")
        );
        // Unknown in, unknown out; sensitive stays sensitive.
        let u = call("md5", &[Value::unknown()], &at()).ok();
        assert!(u.is_some_and(|v| v.is_unknown()));
        let sv = call("sha1", &[s("x").with_sensitive(true)], &at()).ok();
        assert!(sv.is_some_and(|v| v.sensitive));
    }

    #[test]
    fn yamldecode_maps_to_values() {
        let v = call(
            "yamldecode",
            &[s("a: 1\nb: [x, true, null, 1.5]\nc:\n  d: \"str\"\n")],
            &at(),
        )
        .ok();
        let Some(v) = v else {
            panic!("yamldecode failed")
        };
        assert_eq!(v.path(&["a"]).as_f64(), Some(1.0));
        let b = match &v.path(&["b"]).kind {
            Kind::List(items) => items.clone(),
            other => panic!("b is not a list: {other:?}"),
        };
        assert_eq!(b.len(), 4);
        assert_eq!(b[0].as_str(), Some("x"));
        assert_eq!(b[1].as_bool(), Some(true));
        assert!(b[2].is_null());
        assert_eq!(b[3].as_f64(), Some(1.5));
        assert_eq!(v.path(&["c", "d"]).as_str(), Some("str"));
        assert!(call("yamldecode", &[s("a: [")], &at()).is_err());
        assert!(call("yamldecode", &[s("a: 1\n---\nb: 2\n")], &at()).is_err());
        // yamlencode stays unknown.
        let e = call("yamlencode", &[s("x")], &at()).ok();
        assert!(e.is_some_and(|v| v.is_unknown()));
    }

    #[test]
    fn formatdate_terraform_examples() {
        let f = |spec: &str, ts: &str| call_s("formatdate", &[s(spec), s(ts)]);
        let t = "2018-01-02T23:12:01Z";
        assert_eq!(
            f("DD MMM YYYY hh:mm ZZZ", t).as_deref(),
            Some("02 Jan 2018 23:12 UTC")
        );
        assert_eq!(
            f("EEEE, DD-MMM-YY hh:mm:ss ZZZ", t).as_deref(),
            Some("Tuesday, 02-Jan-18 23:12:01 UTC")
        );
        assert_eq!(
            f("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00").as_deref(),
            Some("Tue, 02 Jan 2018 23:12:01 -0800")
        );
        assert_eq!(f("MMM DD, YYYY", t).as_deref(), Some("Jan 02, 2018"));
        assert_eq!(f("HH:mmaa", t).as_deref(), Some("11:12pm"));
        assert_eq!(
            f("h:m:s Z", "2018-01-02T03:04:05+05:30").as_deref(),
            Some("3:4:5 +05:30")
        );
        assert_eq!(f("YYYY'-Q'''", t).as_deref(), Some("2018-Q'"));
        // Unsupported letters: unknown, not a guess.
        let q = call("formatdate", &[s("QQ"), s(t)], &at()).ok();
        assert!(q.is_some_and(|v| v.is_unknown()));
        // Not RFC 3339: an error, as in Terraform.
        assert!(call("formatdate", &[s("YYYY"), s("2018-01-02")], &at()).is_err());
        // Unknown timestamp (timestamp()): unknown.
        let u = call("formatdate", &[s("YYYY"), Value::unknown()], &at()).ok();
        assert!(u.is_some_and(|v| v.is_unknown()));
    }
}

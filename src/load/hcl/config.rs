//! A module directory's declarations, gathered from all of its files.

use super::ast::{Attr, Block, Body, Expr, ParsedFile, Sp};
use super::types::{parse_type, Ty};
use guard_policies::model::{Lifecycle, Mode};
use guard_policies::FileId;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug)]
pub struct VarDecl {
    pub name: String,
    pub ty: Option<Ty>,
    pub default: Option<Expr>,
    pub sensitive: bool,
    pub nullable: bool,
    pub file: FileId,
    pub sp: Sp,
}

#[derive(Debug)]
pub struct LocalDecl {
    pub name: String,
    pub expr: Expr,
    pub file: FileId,
    pub sp: Sp,
}

#[derive(Debug)]
pub struct ResDecl {
    pub mode: Mode,
    pub ty: String,
    pub name: String,
    pub body: Body,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    pub lifecycle: Option<Lifecycle>,
    pub file: FileId,
    pub sp: Sp,
}

#[derive(Debug)]
pub struct CallDecl {
    pub name: String,
    pub source: Option<String>,
    /// The whole `source = ...` attribute, where a finding about the source points.
    pub source_sp: Option<Sp>,
    pub version: Option<String>,
    pub args: Vec<Attr>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    pub file: FileId,
    pub sp: Sp,
}

#[derive(Debug)]
pub struct OutDecl {
    pub name: String,
    pub expr: Option<Expr>,
    pub sensitive: bool,
    pub file: FileId,
    pub sp: Sp,
}

#[derive(Debug)]
pub struct ProvDecl {
    pub name: String,
    pub alias: Option<String>,
    pub body: Body,
    pub file: FileId,
    pub sp: Sp,
}

#[derive(Debug, Default)]
pub struct ModuleConfig {
    pub dir: PathBuf,
    pub variables: Vec<VarDecl>,
    pub locals: Vec<LocalDecl>,
    pub resources: Vec<ResDecl>,
    pub calls: Vec<CallDecl>,
    pub outputs: Vec<OutDecl>,
    pub providers: Vec<ProvDecl>,
    pub local_index: HashMap<String, usize>,
    pub res_index: HashMap<(bool, String, String), usize>,
    pub call_index: HashMap<String, usize>,
    pub var_index: HashMap<String, usize>,
    /// `ephemeral` blocks by (type, name): their values exist only during a run, so references
    /// to them are unknown.
    pub ephemerals: std::collections::HashSet<(String, String)>,
    /// Per resource: whether an expression of this module may name it. Its name is written
    /// right after a `.` somewhere in the module's text (`aws_lb.web.arn`), comments and
    /// strings included, or the text cannot be read with certainty. A resource no expression
    /// names keeps no reference value: its evaluated tree is freed once frozen.
    pub may_be_referenced: Vec<bool>,
}

/// Meta-arguments that are not resource attributes.
pub(super) const META_ATTRS: &[&str] = &["count", "for_each", "provider", "depends_on"];
pub(super) const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];
/// Meta-arguments of a `provider` block.
pub(super) const PROVIDER_META_ATTRS: &[&str] = &["alias", "version"];

/// Adds to `out` every name that follows a `.` in `text`, whitespace allowed around the dot.
fn add_names_after_dot(text: &str, out: &mut std::collections::HashSet<String>) {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut rest = text;
    while let Some(at) = rest.find('.') {
        rest = rest[at + 1..].trim_start();
        let end = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
        if end > 0 && !out.contains(&rest[..end]) {
            out.insert(rest[..end].to_string());
        }
        rest = &rest[end..];
    }
}

fn is_override(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = name.strip_suffix(".json").unwrap_or(name);
    let stem = name
        .strip_suffix(".tf")
        .or_else(|| name.strip_suffix(".tofu"))
        .unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

impl ModuleConfig {
    /// Gathers declarations from `files` (already in lexical order). Override files are applied
    /// last, attribute by attribute, as Terraform merges them.
    pub fn build(dir: PathBuf, files: &[Arc<ParsedFile>]) -> ModuleConfig {
        let mut cfg = ModuleConfig {
            dir,
            ..Default::default()
        };
        let (normal, overrides): (Vec<_>, Vec<_>) =
            files.iter().partition(|f| !is_override(&f.path));
        for f in normal {
            for b in &f.body.blocks {
                cfg.add_block(b, &f.id);
            }
        }
        for f in overrides {
            for b in &f.body.blocks {
                cfg.apply_override(b, &f.id);
            }
        }
        let mut names = std::collections::HashSet::new();
        let readable = files.iter().all(|f| {
            // A JSON string may spell a reference with escapes (`\u002e`): keep every tree.
            let escaped = f.path.ends_with(".json") && f.text.contains("\\u");
            if !escaped {
                add_names_after_dot(&f.text, &mut names);
            }
            !escaped
        });
        cfg.may_be_referenced = cfg
            .resources
            .iter()
            .map(|d| !readable || names.contains(&d.name))
            .collect();
        cfg
    }

    fn add_block(&mut self, b: &Block, file: &FileId) {
        match (b.ty.as_str(), b.labels.as_slice()) {
            ("variable", [name]) => {
                let body = &b.body;
                let decl = VarDecl {
                    name: name.clone(),
                    ty: body.attr("type").map(|a| parse_type(&a.expr)),
                    default: body.attr("default").map(|a| a.expr.clone()),
                    sensitive: body
                        .attr("sensitive")
                        .and_then(|a| a.expr.as_bool_lit())
                        .unwrap_or(false),
                    nullable: body
                        .attr("nullable")
                        .and_then(|a| a.expr.as_bool_lit())
                        .unwrap_or(true),
                    file: *file,
                    sp: b.sp,
                };
                self.var_index.insert(name.clone(), self.variables.len());
                self.variables.push(decl);
            }
            ("locals", []) => {
                for a in &b.body.attrs {
                    self.local_index.insert(a.name.clone(), self.locals.len());
                    self.locals.push(LocalDecl {
                        name: a.name.clone(),
                        expr: a.expr.clone(),
                        file: *file,
                        sp: a.sp,
                    });
                }
            }
            ("resource" | "data", [ty, name]) => {
                let mode = if b.ty == "data" {
                    Mode::Data
                } else {
                    Mode::Managed
                };
                let lifecycle = b.body.blocks_of("lifecycle").last().map(|l| Lifecycle {
                    prevent_destroy: l
                        .body
                        .attr("prevent_destroy")
                        .and_then(|a| a.expr.as_bool_lit()),
                    create_before_destroy: l
                        .body
                        .attr("create_before_destroy")
                        .and_then(|a| a.expr.as_bool_lit()),
                });
                let key = (mode == Mode::Data, ty.clone(), name.clone());
                self.res_index.insert(key, self.resources.len());
                self.resources.push(ResDecl {
                    mode,
                    ty: ty.clone(),
                    name: name.clone(),
                    count: b.body.attr("count").map(|a| a.expr.clone()),
                    for_each: b.body.attr("for_each").map(|a| a.expr.clone()),
                    body: b.body.clone(),
                    lifecycle,
                    file: *file,
                    sp: b.sp,
                });
            }
            ("module", [name]) => {
                let args = b
                    .body
                    .attrs
                    .iter()
                    .filter(|a| {
                        !matches!(
                            a.name.as_str(),
                            "source"
                                | "version"
                                | "count"
                                | "for_each"
                                | "providers"
                                | "depends_on"
                        )
                    })
                    .cloned()
                    .collect();
                self.call_index.insert(name.clone(), self.calls.len());
                self.calls.push(CallDecl {
                    name: name.clone(),
                    source: b.body.attr("source").and_then(|a| a.expr.as_lit_str()),
                    source_sp: b.body.attr("source").map(|a| a.sp),
                    version: b.body.attr("version").and_then(|a| a.expr.as_lit_str()),
                    args,
                    count: b.body.attr("count").map(|a| a.expr.clone()),
                    for_each: b.body.attr("for_each").map(|a| a.expr.clone()),
                    file: *file,
                    sp: b.sp,
                });
            }
            ("provider", [name]) => self.providers.push(ProvDecl {
                name: name.clone(),
                alias: b.body.attr("alias").and_then(|a| a.expr.as_lit_str()),
                body: b.body.clone(),
                file: *file,
                sp: b.sp,
            }),
            ("ephemeral", [ty, name]) => {
                self.ephemerals.insert((ty.clone(), name.clone()));
            }
            ("output", [name]) => self.outputs.push(OutDecl {
                name: name.clone(),
                expr: b.body.attr("value").map(|a| a.expr.clone()),
                sensitive: b
                    .body
                    .attr("sensitive")
                    .and_then(|a| a.expr.as_bool_lit())
                    .unwrap_or(false),
                file: *file,
                sp: b.sp,
            }),
            _ => {}
        }
    }

    fn apply_override(&mut self, b: &Block, file: &FileId) {
        match (b.ty.as_str(), b.labels.as_slice()) {
            ("resource" | "data", [ty, name]) => {
                let key = (b.ty == "data", ty.clone(), name.clone());
                if let Some(&i) = self.res_index.get(&key) {
                    let r = &mut self.resources[i];
                    for a in &b.body.attrs {
                        r.body.attrs.retain(|x| x.name != a.name);
                        r.body.attrs.push(a.clone());
                        match a.name.as_str() {
                            "count" => r.count = Some(a.expr.clone()),
                            "for_each" => r.for_each = Some(a.expr.clone()),
                            _ => {}
                        }
                    }
                    for nb in &b.body.blocks {
                        r.body.blocks.retain(|x| x.ty != nb.ty);
                    }
                    r.body.blocks.extend(b.body.blocks.iter().cloned());
                    return;
                }
                self.add_block(b, file);
            }
            ("provider", [name]) => {
                let alias = b.body.attr("alias").and_then(|a| a.expr.as_lit_str());
                if let Some(p) = self
                    .providers
                    .iter_mut()
                    .find(|p| p.name == *name && p.alias == alias)
                {
                    for a in &b.body.attrs {
                        p.body.attrs.retain(|x| x.name != a.name);
                        p.body.attrs.push(a.clone());
                    }
                    for nb in &b.body.blocks {
                        p.body.blocks.retain(|x| x.ty != nb.ty);
                    }
                    p.body.blocks.extend(b.body.blocks.iter().cloned());
                    return;
                }
                self.add_block(b, file);
            }
            ("locals", []) => {
                for a in &b.body.attrs {
                    if let Some(&i) = self.local_index.get(&a.name) {
                        self.locals[i].expr = a.expr.clone();
                        self.locals[i].file = *file;
                        self.locals[i].sp = a.sp;
                    } else {
                        self.add_block(b, file);
                        return;
                    }
                }
            }
            ("variable", [name]) => {
                if let Some(&i) = self.var_index.get(name) {
                    let v = &mut self.variables[i];
                    if let Some(a) = b.body.attr("default") {
                        v.default = Some(a.expr.clone());
                    }
                    if let Some(a) = b.body.attr("type") {
                        v.ty = Some(parse_type(&a.expr));
                    }
                    return;
                }
                self.add_block(b, file);
            }
            ("module", [name]) => {
                if let Some(&i) = self.call_index.get(name) {
                    let c = &mut self.calls[i];
                    for a in &b.body.attrs {
                        if a.name == "source" {
                            c.source = a.expr.as_lit_str();
                        } else {
                            c.args.retain(|x| x.name != a.name);
                            c.args.push(a.clone());
                        }
                    }
                    return;
                }
                self.add_block(b, file);
            }
            _ => self.add_block(b, file),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::add_names_after_dot;
    use std::collections::HashSet;

    #[test]
    fn names_after_a_dot_are_found_with_any_spacing() {
        let mut names = HashSet::new();
        add_names_after_dot(
            "a = aws_lb.web.arn\nb = aws_lb . \n spaced[0].id\nc = \"${data.x.json_doc}\" # 1.5\nd = x.é-ü_9",
            &mut names,
        );
        let mut found: Vec<_> = names.iter().map(String::as_str).collect();
        found.sort_unstable();
        assert_eq!(
            found,
            ["5", "arn", "id", "json_doc", "spaced", "web", "x", "é-ü_9"]
        );
    }
}

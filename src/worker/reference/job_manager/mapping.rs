//! The `parameter_mappings` language (ESI-SPEC §2.4): string forms `P`/`C`/`V`/`O`/`M`/`F`/`A`
//! and object forms `field`/`path`/`output_key`/`constant`/`version`/`if_mapping`/`for_field`.
//! A mapping is parsed once ([`Mapping::parse`]) and evaluated against a resource body
//! ([`Mapping::eval`]); the result carries the resources its path hops went through, which
//! become the param record's `resources` and the job's dependencies.

use regex::Regex;
use serde_json::Value;

mod parse;

use super::schema::{ResourceKey, Schemas};

/// Bodies of other resources, for path hops.
pub(crate) trait Resources: Sync {
    /// The current `/config` body of `key`.
    fn body(&self, key: &ResourceKey) -> Option<&Value>;
}

/// A parsed mapping.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mapping {
    /// `P<field>`, `F<hops>:<field>`, `{"field", "path"?}`: a field of the body or of the
    /// resource at the end of `path`.
    Field {
        field: String,
        path: Vec<Hop>,
        ignore_missing: bool,
    },
    /// `M<type>:<fk>:<key>`, `{"path", "output_key"}`: an output of the stack of the resource
    /// at the end of `path`, resolved by the heat worker.
    OutputKey {
        key: String,
        path: Vec<Hop>,
        ignore_missing: bool,
    },
    /// `O<field>:<key>…`: a member of an object field of the body (`Oprimary:ip_address` is
    /// `body["primary"]["ip_address"]`); `null` when a level is missing.
    Member { field: String, keys: Vec<String> },
    /// `C<text>` (a string), `{"constant": c}` (any JSON).
    Constant(Value),
    /// `V…`, `{"version": …}`: the config version.
    Version,
    /// `A<m1>&<m2>…`: string concatenation.
    Concat(Vec<Mapping>),
    /// `{"if_mapping": {"equal"|"regexp": [a, b]}, "then_mapping", "else_mapping"}`.
    If {
        test: Test,
        left: Box<Mapping>,
        right: Box<Mapping>,
        then: Box<Mapping>,
        otherwise: Box<Mapping>,
    },
    /// `{"for_field": f, "for_mapping": m}`: `m` for every element of the list `f`.
    For {
        field: Box<Mapping>,
        each: Box<Mapping>,
    },
    /// A form no one knows (an unknown first character): the template still loads; a job
    /// that needs it fails to build, and its resource gets a `*_FAILED` state saying why.
    Unsupported(String),
}

/// The condition of an `if_mapping`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Test {
    /// JSON equality.
    Equal,
    /// Python `re.match(right, left)`: anchored at the start.
    Regexp,
}

impl Test {
    /// Whether the condition holds for the two operands evaluated in `ctx`.
    pub(crate) fn holds(
        self,
        left: &Mapping,
        right: &Mapping,
        ctx: &Context<'_>,
    ) -> Result<bool, MappingError> {
        let left = left.eval(ctx)?.value;
        let right = right.eval(ctx)?.value;
        Ok(match self {
            Test::Equal => left == right,
            Test::Regexp => {
                let pattern = python_str(&right);
                let re =
                    Regex::new(&format!("^(?:{pattern})")).map_err(|e| MappingError::Regexp {
                        pattern: pattern.clone(),
                        reason: e.to_string(),
                    })?;
                re.is_match(&python_str(&left))
            }
        })
    }
}

/// One hop of a path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Hop {
    /// A foreign key of the current resource; the type comes from the schema relations.
    Relation(String),
    /// `{"type": t, "id": fk}` or `F`'s `t+fk`: explicit type; `fk` `""` is the value itself.
    Typed { type_: String, field: String },
}

/// What a mapping produced.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Evaluated {
    /// The record type.
    pub(crate) kind: Kind,
    /// The value (for `List`, the sub-values; see `items`).
    pub(crate) value: Value,
    /// Resources the path hops went through, in hop order (all elements for a list).
    pub(crate) resources: Vec<ResourceKey>,
    /// For `List`: one evaluation per element.
    pub(crate) items: Vec<Evaluated>,
}

/// A param record's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `value`.
    Value,
    /// `output_key`.
    OutputKey,
    /// `list`.
    List,
}

impl Kind {
    /// The `type` string.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Value => "value",
            Kind::OutputKey => "output_key",
            Kind::List => "list",
        }
    }
}

/// Why a mapping could not be parsed or evaluated.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MappingError {
    #[error("unsupported mapping {mapping}")]
    Unsupported { mapping: String },
    #[error("invalid regexp {pattern:?}: {reason}")]
    Regexp { pattern: String, reason: String },
    #[error("no relation for field {field:?} of type {type_}")]
    NoRelation { type_: String, field: String },
    #[error("field {field:?} of {type_} holds no resource id")]
    NoId { type_: String, field: String },
    #[error("related resource {type_}:{id} not found")]
    Missing { type_: String, id: String },
    #[error("for_field of a mapping did not give a list")]
    NotAList,
    #[error("mapping nests deeper than {limit} levels")]
    TooDeep { limit: usize },
}

/// What a mapping is evaluated against.
pub(crate) struct Context<'a> {
    /// The resource type of `body`.
    pub(crate) type_: &'a str,
    /// The decoded `/config` body.
    pub(crate) body: &'a Value,
    /// The config version.
    pub(crate) version: u64,
    /// Other resources' bodies.
    pub(crate) resources: &'a dyn Resources,
}

impl Mapping {
    /// Evaluates the mapping for a resource.
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Result<Evaluated, MappingError> {
        match self {
            Mapping::Unsupported(raw) => Err(MappingError::Unsupported {
                mapping: raw.clone(),
            }),
            Mapping::Constant(c) => Ok(value(c.clone(), vec![])),
            Mapping::Version => Ok(value(Value::from(ctx.version), vec![])),
            Mapping::Member { field, keys } => {
                let found = ctx
                    .body
                    .get(field)
                    .and_then(|v| keys.iter().try_fold(v, |v, k| v.get(k)));
                Ok(value(found.cloned().unwrap_or(Value::Null), vec![]))
            }
            Mapping::Field {
                field,
                path,
                ignore_missing,
            } => {
                let Some((body, resources)) = walk(ctx, path, true, *ignore_missing)? else {
                    return Ok(value(Value::Null, vec![]));
                };
                let found = body.get(field).cloned().unwrap_or(Value::Null);
                Ok(value(found, resources))
            }
            Mapping::OutputKey {
                key,
                path,
                ignore_missing,
            } => {
                let Some((_, resources)) = walk(ctx, path, false, *ignore_missing)? else {
                    return Ok(value(Value::Null, vec![]));
                };
                let Some(last) = resources.last() else {
                    return Err(MappingError::Unsupported {
                        mapping: format!("output_key {key:?} without a path"),
                    });
                };
                let mut reference = serde_json::Map::new();
                reference.insert("output_key".into(), Value::from(key.as_str()));
                reference.insert("resource_type".into(), Value::from(last.type_.as_str()));
                reference.insert("resource_id".into(), Value::from(last.id.as_str()));
                Ok(Evaluated {
                    kind: Kind::OutputKey,
                    value: Value::Object(reference),
                    resources,
                    items: vec![],
                })
            }
            Mapping::Concat(parts) => {
                let mut text = String::new();
                let mut resources = vec![];
                for part in parts {
                    let part = part.eval(ctx)?;
                    text.push_str(&python_str(&part.value));
                    resources.extend(part.resources);
                }
                Ok(value(Value::String(text), resources))
            }
            Mapping::If {
                test,
                left,
                right,
                then,
                otherwise,
            } => {
                if test.holds(left, right, ctx)? {
                    then.eval(ctx)
                } else {
                    otherwise.eval(ctx)
                }
            }
            Mapping::For { field, each } => {
                let list = match field.eval(ctx)?.value {
                    Value::Array(list) => list,
                    Value::Null => vec![],
                    _ => return Err(MappingError::NotAList),
                };
                let mut items = Vec::with_capacity(list.len());
                let mut resources = vec![];
                for element in &list {
                    let sub = Context {
                        type_: ctx.type_,
                        body: element,
                        version: ctx.version,
                        resources: ctx.resources,
                    };
                    let item = each.eval(&sub)?;
                    resources.extend(item.resources.iter().cloned());
                    items.push(item);
                }
                let values = items.iter().map(|i| i.value.clone()).collect();
                Ok(Evaluated {
                    kind: Kind::List,
                    value: Value::Array(values),
                    resources,
                    items,
                })
            }
        }
    }
}

/// The body at the end of a path (`Null` when not needed) and the hops.
type Walked<'a> = (&'a Value, Vec<ResourceKey>);

/// Follows `path` from the context's resource. Returns the body at the end (`Null` when
/// `need_last` is false) and the hops; `None` when a hop is missing and `ignore_missing` is
/// set.
fn walk<'a>(
    ctx: &Context<'a>,
    path: &[Hop],
    need_last: bool,
    ignore_missing: bool,
) -> Result<Option<Walked<'a>>, MappingError> {
    static NULL: Value = Value::Null;
    let mut type_ = ctx.type_.to_string();
    let mut body: &'a Value = ctx.body;
    let mut hops = Vec::with_capacity(path.len());
    for (n, hop) in path.iter().enumerate() {
        let (next_type, field) = match hop {
            Hop::Relation(field) => {
                let Some(next) = Schemas::recorded().relation(&type_, field) else {
                    return Err(MappingError::NoRelation {
                        type_,
                        field: field.clone(),
                    });
                };
                (next.to_string(), field.as_str())
            }
            Hop::Typed { type_: t, field } => (t.clone(), field.as_str()),
        };
        let id = if field.is_empty() {
            Some(body)
        } else {
            body.get(field)
        };
        let Some(id) = id.and_then(Value::as_str).filter(|id| !id.is_empty()) else {
            if ignore_missing {
                return Ok(None);
            }
            return Err(MappingError::NoId {
                type_,
                field: field.to_string(),
            });
        };
        let key = ResourceKey {
            type_: next_type.clone(),
            id: id.to_string(),
        };
        let last = n + 1 == path.len();
        body = if last && !need_last {
            &NULL
        } else {
            match ctx.resources.body(&key) {
                Some(b) => b,
                None if ignore_missing => return Ok(None),
                None => {
                    return Err(MappingError::Missing {
                        type_: key.type_,
                        id: key.id,
                    });
                }
            }
        };
        type_ = next_type;
        hops.push(key);
    }
    Ok(Some((body, hops)))
}

fn value(v: Value, resources: Vec<ResourceKey>) -> Evaluated {
    Evaluated {
        kind: Kind::Value,
        value: v,
        resources,
        items: vec![],
    }
}

/// Python's `str()` of a JSON value, as `"".join` / `re.match` would see it.
fn python_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fuzz;

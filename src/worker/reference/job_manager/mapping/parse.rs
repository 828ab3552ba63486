//! Parsing the mapping forms (ESI-SPEC §2.4) into [`Mapping`].

use serde_json::Value;

use super::{Hop, Mapping, MappingError, Test};

/// How deeply object forms may nest (`if_mapping` in `for_mapping` in ...): a clear error
/// beyond, never a stack overflow.
const MAX_DEPTH: usize = 32;

impl Mapping {
    /// Parses a mapping as a template (or schema metadata) holds it.
    pub(crate) fn parse(raw: &Value) -> Result<Mapping, MappingError> {
        parse_at(raw, 0)
    }
}

fn parse_at(raw: &Value, depth: usize) -> Result<Mapping, MappingError> {
    if depth > MAX_DEPTH {
        return Err(MappingError::TooDeep { limit: MAX_DEPTH });
    }
    let parse = |raw: &Value| parse_at(raw, depth + 1);
    let unsupported = || MappingError::Unsupported {
        mapping: excerpt(raw),
    };
    match raw {
        Value::String(s) => Ok(parse_string(s).unwrap_or(Mapping::Unsupported(raw.to_string()))),
        Value::Object(o) => {
            let ignore_missing = o
                .get("ignore_missing")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if let Some(test) = o.get("if_mapping") {
                let (test, operands) = match (test.get("equal"), test.get("regexp")) {
                    (Some(ops), None) => (Test::Equal, ops),
                    (None, Some(ops)) => (Test::Regexp, ops),
                    _ => return Err(unsupported()),
                };
                let [left, right] = operands.as_array().map(Vec::as_slice).unwrap_or(&[]) else {
                    return Err(unsupported());
                };
                let branch = |name| {
                    o.get(name)
                        .map(parse)
                        .unwrap_or(Ok(Mapping::Constant(Value::Null)))
                };
                return Ok(Mapping::If {
                    test,
                    left: Box::new(parse(left)?),
                    right: Box::new(parse(right)?),
                    then: Box::new(branch("then_mapping")?),
                    otherwise: Box::new(branch("else_mapping")?),
                });
            }
            if let (Some(field), Some(each)) = (o.get("for_field"), o.get("for_mapping")) {
                let field = match field {
                    Value::String(f) => Mapping::Field {
                        field: f.clone(),
                        path: vec![],
                        ignore_missing: false,
                    },
                    other => parse(other)?,
                };
                return Ok(Mapping::For {
                    field: Box::new(field),
                    each: Box::new(parse(each)?),
                });
            }
            if let Some(constant) = o.get("constant") {
                return Ok(Mapping::Constant(constant.clone()));
            }
            if o.contains_key("version") {
                return Ok(Mapping::Version);
            }
            let path = match o.get("path") {
                None => vec![],
                Some(Value::Array(hops)) => hops
                    .iter()
                    .map(parse_hop)
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(unsupported)?,
                Some(_) => return Err(unsupported()),
            };
            if let Some(Value::String(key)) = o.get("output_key") {
                return Ok(Mapping::OutputKey {
                    key: key.clone(),
                    path,
                    ignore_missing,
                });
            }
            if let Some(Value::String(field)) = o.get("field") {
                return Ok(Mapping::Field {
                    field: field.clone(),
                    path,
                    ignore_missing,
                });
            }
            Err(unsupported())
        }
        _ => Err(unsupported()),
    }
}

/// How much of an unsupported mapping its error quotes.
const EXCERPT_CHARS: usize = 200;

/// `raw` as JSON, cut after [`EXCERPT_CHARS`] characters so an error stays readable.
fn excerpt(raw: &Value) -> String {
    let text = raw.to_string();
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}

/// The string forms; `None` if unsupported. Iterative: `A` parts are split on `&` once, so a
/// part that starts with `A` again (`AACx`) only turns its one part into a string; however
/// many `A`s a user writes, the parser never recurses.
fn parse_string(s: &str) -> Option<Mapping> {
    let Some(rest) = s.strip_prefix('A') else {
        return parse_simple(s);
    };
    let parts = rest
        .split('&')
        .map(|part| {
            let inner = part.trim_start_matches('A');
            let parsed = parse_simple(inner)?;
            Some(if inner.len() < part.len() {
                Mapping::Concat(vec![parsed])
            } else {
                parsed
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Mapping::Concat(parts))
}

/// Every string form but `A`.
fn parse_simple(s: &str) -> Option<Mapping> {
    let mut chars = s.chars();
    let op = chars.next()?;
    let rest = chars.as_str();
    Some(match op {
        'P' => Mapping::Field {
            field: rest.into(),
            path: vec![],
            ignore_missing: false,
        },
        'C' => Mapping::Constant(Value::String(rest.into())),
        'V' => Mapping::Version,
        'O' => {
            let mut keys = rest.split(':').map(String::from);
            let field = keys.next().filter(|f| !f.is_empty())?;
            let keys: Vec<String> = keys.collect();
            if keys.iter().any(String::is_empty) {
                return None;
            }
            Mapping::Member { field, keys }
        }
        'M' => {
            let mut parts = rest.splitn(3, ':');
            let (type_, field, key) = (parts.next()?, parts.next()?, parts.next()?);
            Mapping::OutputKey {
                key: key.into(),
                path: vec![Hop::Typed {
                    type_: type_.into(),
                    field: field.into(),
                }],
                ignore_missing: false,
            }
        }
        'F' => {
            let (hops, field) = rest.rsplit_once(':')?;
            let path = hops
                .split(':')
                .map(|hop| {
                    let (type_, field) = hop.split_once('+')?;
                    Some(Hop::Typed {
                        type_: type_.into(),
                        field: field.into(),
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Mapping::Field {
                field: field.into(),
                path,
                ignore_missing: false,
            }
        }
        _ => return None,
    })
}

fn parse_hop(raw: &Value) -> Option<Hop> {
    match raw {
        Value::String(field) => Some(Hop::Relation(field.clone())),
        Value::Object(o) => Some(Hop::Typed {
            type_: o.get("type")?.as_str()?.into(),
            field: o.get("id")?.as_str()?.into(),
        }),
        _ => None,
    }
}

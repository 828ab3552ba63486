//! Parsing the mapping forms (ESI-SPEC §2.4) into [`Mapping`].

use serde_json::Value;

use super::{Hop, Mapping, MappingError, Test};

impl Mapping {
    /// Parses a mapping as a template (or schema metadata) holds it.
    pub(crate) fn parse(raw: &Value) -> Result<Mapping, MappingError> {
        let unsupported = || MappingError::Unsupported {
            mapping: raw.to_string(),
        };
        match raw {
            Value::String(s) => {
                Ok(parse_string(s).unwrap_or(Mapping::Unsupported(raw.to_string())))
            }
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
                    let [left, right] = operands.as_array().map(Vec::as_slice).unwrap_or(&[])
                    else {
                        return Err(unsupported());
                    };
                    let branch = |name| {
                        o.get(name)
                            .map(Mapping::parse)
                            .unwrap_or(Ok(Mapping::Constant(Value::Null)))
                    };
                    return Ok(Mapping::If {
                        test,
                        left: Box::new(Mapping::parse(left)?),
                        right: Box::new(Mapping::parse(right)?),
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
                        other => Mapping::parse(other)?,
                    };
                    return Ok(Mapping::For {
                        field: Box::new(field),
                        each: Box::new(Mapping::parse(each)?),
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
}

/// The string forms; `None` if unsupported.
fn parse_string(s: &str) -> Option<Mapping> {
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
        'A' => Mapping::Concat(
            rest.split('&')
                .map(parse_string)
                .collect::<Option<Vec<_>>>()?,
        ),
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

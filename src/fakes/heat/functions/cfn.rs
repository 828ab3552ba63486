//! The CloudFormation-style functions of HOT 2013-05-23 (`Fn::Select` until 2015-04-30):
//! `Ref`, `Fn::Select`, `Fn::Join`, `Fn::Split`, `Fn::Replace`, `Fn::Base64`,
//! `Fn::MemberListToMap`, `Fn::GetAZs`, `Fn::ResourceFacade`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::versions::Cfn;
use super::{ArgError, Env, Failure, refs, text};

pub(super) fn check(f: Cfn, name: &str, args: &Value) -> Result<(), ArgError> {
    match f {
        Cfn::Select => match args {
            Value::Array(items) if items.len() == 2 => Ok(()),
            Value::String(s) if s.chars().count() == 2 => Ok(()),
            _ => Err(ArgError::Value(format!(
                "Arguments to \"{name}\" must be of the form [index, collection]"
            ))),
        },
        Cfn::Join => text::check_join(name, args, false),
        Cfn::Split => {
            let usage = format!(
                "Incorrect arguments to \"{name}\" should be: \"{name}\" : [ \",\", \"str1,str2\"]]"
            );
            match args {
                Value::String(_) | Value::Object(_) => Err(ArgError::Type(usage)),
                Value::Array(items) if items.len() == 2 => Ok(()),
                _ => Err(ArgError::Value(usage)),
            }
        }
        Cfn::Replace => {
            let usage = format!(
                "Incorrect arguments to \"{name}\" should be: {{\"{name}\": [ {{\"$var1\": \"foo\", \
                 \"%var2%\": \"bar\"}}, \"$var1 is %var2%\"]}}"
            );
            match args {
                Value::Array(items) if items.len() == 2 => {
                    if matches!(items[0], Value::Object(_)) {
                        Ok(())
                    } else {
                        Err(ArgError::Type(format!(
                            "\"{name}\" parameters must be a mapping"
                        )))
                    }
                }
                Value::Array(_) => Err(ArgError::Value(usage)),
                _ => Err(ArgError::Type(usage)),
            }
        }
        Cfn::MemberListToMap => match args {
            Value::Array(items) if items.len() == 3 => {
                if !items[0].is_string() {
                    return Err(ArgError::Type(format!("{name} Key Name must be a string")));
                }
                if !items[1].is_string() {
                    return Err(ArgError::Type(format!(
                        "{name} Value Name must be a string"
                    )));
                }
                Ok(())
            }
            _ => Err(ArgError::Type(
                "Wrong Arguments try: \"\n            {'Fn::MemberListToMap': ['Name', 'Value',\n                                     ['.member.0.Name=key',\n                                      '.member.0.Value=door']]}\n            \""
                .into(),
        )),
        },
        Cfn::ResourceFacade => refs::check_facade(name, args, true),
        Cfn::GetAzs | Cfn::Ref | Cfn::Base64 => Ok(()),
    }
}

pub(super) fn call(f: Cfn, name: &str, args: Value, env: &Env<'_>) -> Result<Value, Failure> {
    match f {
        Cfn::Select => select(name, &args),
        Cfn::Join => text::list_join(name, &args, false),
        Cfn::Split => {
            let (Some(Value::String(delimiter)), Some(text)) = (args.get(0), args.get(1)) else {
                return Err(ArgError::Type(format!("Delimiter for {name} must be string")).into());
            };
            let Value::String(text) = text else {
                return Err(ArgError::Type(format!(
                    "String to split must be string; got <class '{}'>",
                    super::python::type_name(text)
                ))
                .into());
            };
            if delimiter.is_empty() {
                return Err(ArgError::Value("empty separator".into()).into());
            }
            Ok(Value::Array(
                text.split(delimiter.as_str())
                    .map(|s| Value::String(s.into()))
                    .collect(),
            ))
        }
        Cfn::Replace => {
            let mut map = Map::new();
            map.insert("params".into(), args.get(0).cloned().unwrap_or(Value::Null));
            map.insert(
                "template".into(),
                args.get(1).cloned().unwrap_or(Value::Null),
            );
            text::str_replace(name, &Value::Object(map), false, false, true)
        }
        Cfn::Base64 => match args {
            Value::String(s) => Ok(Value::String(s)),
            _ => Err(ArgError::Type(format!("\"{name}\" argument must be a string")).into()),
        },
        Cfn::MemberListToMap => member_list_to_map(&args),
        Cfn::GetAzs => Ok(Value::Array(vec![Value::String("nova".into())])),
        Cfn::Ref => match &args {
            Value::String(r) if env.scope.has_resource(r) => Ok(env.scope.reference(r)),
            Value::String(p) => env.scope.param(p).cloned().ok_or_else(|| {
                Failure::Unresolved(format!(
                    "The specified reference \"{p}\" (in unknown) is incorrect."
                ))
            }),
            other => Err(Failure::Unresolved(format!(
                "unhashable type: '{}'",
                super::python::type_name(other)
            ))),
        },
        Cfn::ResourceFacade => refs::resource_facade(),
    }
}

fn select(name: &str, args: &Value) -> Result<Value, Failure> {
    let index = args.get(0).cloned().unwrap_or(Value::Null);
    let mut strings = args.get(1).cloned().unwrap_or(Value::Null);
    if strings == Value::String(String::new()) {
        return Ok(strings);
    }
    if let Value::String(text) = &strings {
        strings =
            serde_json::from_str(text).map_err(|e| ArgError::Value(format!("\"{name}\": {e}")))?;
    }
    if let Value::Object(map) = &strings {
        let Value::String(key) = &index else {
            return Err(ArgError::Type(format!("Index to \"{name}\" must be a string")).into());
        };
        return Ok(map
            .get(key)
            .cloned()
            .unwrap_or_else(|| Value::String(String::new())));
    }
    let index = match &index {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64)),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    match &strings {
        Value::Array(items) => {
            let Some(i) = index else {
                return Err(
                    ArgError::Type(format!("Index to \"{name}\" must be an integer")).into(),
                );
            };
            let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
            let at = if i < 0 { i.checked_add(len) } else { Some(i) };
            Ok(at
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| items.get(i))
                .cloned()
                .unwrap_or_else(|| Value::String(String::new())))
        }
        Value::Null => Ok(Value::String(String::new())),
        _ => Err(ArgError::Type(format!("Arguments to {name} not fully resolved")).into()),
    }
}

/// `['.member.0.Name=key', '.member.0.Value=door']` → `{key: door}`.
fn member_list_to_map(args: &Value) -> Result<Value, Failure> {
    let (Some(Value::String(key_name)), Some(Value::String(value_name))) =
        (args.get(0), args.get(1))
    else {
        return Ok(Value::Object(Map::new()));
    };
    let Some(Value::Array(list)) = args.get(2) else {
        return Err(ArgError::Type("Member list must be a list".into()).into());
    };
    let mut members: BTreeMap<u64, Map<String, Value>> = BTreeMap::new();
    for item in list {
        let Value::String(item) = item else {
            return Err(ArgError::Type("Member list items must be strings".into()).into());
        };
        let (key, value) = item.split_once('=').unwrap_or((item.as_str(), ""));
        let Some(rest) = key.strip_prefix(".member.") else {
            continue;
        };
        let Some((index, field)) = rest.split_once('.') else {
            continue;
        };
        let Ok(index) = index.parse::<u64>() else {
            continue;
        };
        members
            .entry(index)
            .or_default()
            .insert(field.into(), Value::String(value.into()));
    }
    let mut out = Map::new();
    for fields in members.values() {
        if let (Some(Value::String(k)), Some(v)) = (
            fields.get(key_name.as_str()),
            fields.get(value_name.as_str()),
        ) {
            out.insert(k.clone(), v.clone());
        }
    }
    Ok(Value::Object(out))
}

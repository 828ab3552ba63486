//! `make_url`: Heat's `MakeURL`, `urllib.parse.quote`, `urlencode` and `urlunsplit` included.

use serde_json::{Map, Value};

use super::python::{py_repr, py_str, py_truthy};
use super::text::is_call;
use super::{ArgError, Failure};
use crate::fakes::heat::errors::HeatError;

const URL_KEYS: [&str; 8] = [
    "scheme", "username", "password", "host", "port", "path", "query", "fragment",
];

pub(super) fn validate_url(name: &str, args: &Value) -> Result<(), HeatError> {
    let Value::Object(map) = args else {
        return Err(HeatError::invalid(format!(
            "The arguments to \"{name}\" must be a map"
        )));
    };
    let invalid: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !URL_KEYS.contains(k))
        .collect();
    if !invalid.is_empty() {
        return Err(HeatError::invalid(format!(
            "Invalid arguments to \"{name}\": {}",
            invalid.join(", ")
        )));
    }
    check_url(name, map, true).map_err(|e| HeatError::invalid(e.message()))
}

/// Heat's `MakeURL._check_args` (which stops looking once it met `query`).
fn check_url(name: &str, args: &Map<String, Value>, raw: bool) -> Result<(), ArgError> {
    for key in URL_KEYS {
        let Some(value) = args.get(key) else { continue };
        if raw && is_call(value) {
            if key == "query" {
                return Ok(());
            }
            continue;
        }
        match key {
            "query" => {
                return match value {
                    Value::Object(_) => Ok(()),
                    _ => Err(ArgError::Type(format!(
                        "The \"{key}\" argument to \"{name}\" must be a map"
                    ))),
                };
            }
            "port" => {
                let port = match value {
                    Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64)),
                    Value::Bool(b) => Some(i64::from(*b)),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                let Some(port) = port else {
                    let all: Value = Value::Object(args.clone());
                    return Err(ArgError::Value(format!(
                        "Invalid URL port \"{}\" for {name} called with {}",
                        py_str(value),
                        py_repr(&all)
                    )));
                };
                if !(1..=65535).contains(&port) {
                    return Err(ArgError::Value(format!(
                        "Invalid URL port {port}, must be in range 1-65535"
                    )));
                }
            }
            _ => {
                if !matches!(value, Value::String(_)) {
                    return Err(ArgError::Type(format!(
                        "The \"{key}\" argument to \"{name}\" must be a string"
                    )));
                }
            }
        }
    }
    Ok(())
}

pub(super) fn make_url(name: &str, args: &Value) -> Result<Value, Failure> {
    let Value::Object(args) = args else {
        return Err(ArgError::Type(format!("The arguments to \"{name}\" must be a map")).into());
    };
    check_url(name, args, false)?;
    let get = |k: &str| args.get(k).and_then(Value::as_str).unwrap_or("");
    let scheme = get("scheme");
    if scheme.contains(':') {
        return Err(ArgError::Value("URL \"scheme\" should not contain ':'".into()).into());
    }
    let mut netloc = String::new();
    let (user, password) = (quote(get("username"), ""), quote(get("password"), ""));
    if !user.is_empty() || !password.is_empty() {
        netloc.push_str(&user);
        if !password.is_empty() {
            netloc.push(':');
            netloc.push_str(&password);
        }
        netloc.push('@');
    }
    let mut host = get("host");
    if host.starts_with('[') && host.ends_with(']') && host.len() >= 2 {
        host = &host[1..host.len() - 1];
    }
    let host = quote(host, ":");
    netloc.push_str(&if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    });
    if let Some(port) = args.get("port").filter(|p| py_truthy(p)) {
        netloc.push(':');
        netloc.push_str(&py_str(port));
    }
    let path = quote(get("path"), "/");
    let query: Vec<String> = match args.get("query") {
        Some(Value::Object(q)) => q
            .iter()
            .map(|(k, v)| format!("{}={}", quote_plus(k), quote_plus(&py_str_python(v))))
            .collect(),
        _ => Vec::new(),
    };
    let query = query.join("&").replace("%2F", "/");
    let fragment = quote(get("fragment"), "/");
    let mut url = path;
    let uses_netloc = [
        "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https",
        "shttp", "snews", "prospero", "rtsp", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs",
        "git", "git+ssh", "ws", "wss",
    ];
    if !netloc.is_empty()
        || (!scheme.is_empty() && uses_netloc.contains(&scheme) && !url.starts_with("//"))
    {
        if !url.is_empty() && !url.starts_with('/') {
            url = format!("/{url}");
        }
        url = format!("//{netloc}{url}");
    }
    if !scheme.is_empty() {
        url = format!("{scheme}:{url}");
    }
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    if !fragment.is_empty() {
        url = format!("{url}#{fragment}");
    }
    Ok(Value::String(url))
}

/// Python's `str()` for `urlencode` (`None` is `'None'` there).
fn py_str_python(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Array(_) | Value::Object(_) => py_repr(value),
        other => py_str(other),
    }
}

/// `urllib.parse.quote(text, safe)`: letters, digits, `_.-~` and `safe` stay.
fn quote(text: &str, safe: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || b"_.-~".contains(&byte)
            || safe.as_bytes().contains(&byte)
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `urllib.parse.quote_plus`: spaces as `+`.
fn quote_plus(text: &str) -> String {
    text.split(' ')
        .map(|p| quote(p, ""))
        .collect::<Vec<_>>()
        .join("+")
}

//! Reading the recorded reference data vendored in `tests/recorded/`.

use std::path::PathBuf;

use serde_json::Value;

/// `<repo>/tests/recorded/<rel>`, or a panic that says what is missing.
pub(super) fn recorded(rel: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/recorded")
        .join(rel);
    assert!(path.exists(), "recorded data {} is missing", path.display());
    path
}

/// The text of a recorded file.
pub(super) fn read(rel: &str) -> String {
    let path = recorded(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `05_load_balancer/stored_in_etcd/<component>/` documents, sorted by name.
pub(super) fn documents(component: &str) -> Vec<(String, String)> {
    let dir = recorded(&format!("esi/05_load_balancer/stored_in_etcd/{component}"));
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).expect("readable");
            (n, text)
        })
        .collect()
}

/// The ```-fenced `key` + JSON blocks of a document, in order.
pub(super) fn blocks(doc: &str) -> Vec<(String, Value)> {
    doc.split("```")
        .skip(1)
        .step_by(2)
        .filter_map(|block| {
            let block = block.trim_start_matches(|c: char| c != '\n').trim();
            let (key, json) = block.split_once('\n')?;
            let value = serde_json::from_str(json).ok()?;
            Some((key.trim().to_string(), value))
        })
        .collect()
}

/// The recorded job of a `02_JobManager` document.
pub(super) fn recorded_job(name: &str) -> Value {
    let (_, doc) = documents("02_JobManager")
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no 02_JobManager/{name}"));
    blocks(&doc).remove(0).1[1].clone()
}

/// The recorded results of a `03_HeatWorker` document: key → value.
pub(super) fn recorded_results(name: &str) -> Vec<(String, Value)> {
    let (_, doc) = documents("03_HeatWorker")
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no 03_HeatWorker/{name}"));
    blocks(&doc)
}

/// The run's heat templates (`config.w`, ESI-SPEC §0.3 item 5): id → decoded body.
pub(super) fn run_templates() -> Vec<(String, Value)> {
    let log = strip_ansi(&read(
        "esi/05_load_balancer/result_log/04_etcd_watcher_log/etcd-config-watcher.log",
    ));
    let mut templates = Vec::new();
    let lines: Vec<&str> = log.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix(" action=[set], key=[/config/v2.0/heat_templates/")
        else {
            continue;
        };
        let id = rest.trim_end_matches("],").to_string();
        let Some(first) = lines.get(i + 1).and_then(|l| l.strip_prefix(" value=[")) else {
            continue;
        };
        let mut json = String::from(first);
        for next in &lines[i + 2..] {
            if *next == "}]" {
                json.push('}');
                break;
            }
            json.push('\n');
            json.push_str(next);
        }
        if let Ok(value) = serde_json::from_str::<Value>(&json) {
            templates.push((id, value["body"].clone()));
        }
    }
    templates
}

/// The recorded heat worker log without colour codes.
pub(super) fn heat_worker_log() -> String {
    strip_ansi(&read(
        "esi/05_load_balancer/result_log/06_heat_worker/heat-worker.log",
    ))
}

fn strip_ansi(text: &str) -> String {
    let re = regex::Regex::new("\x1b\\[[0-9;]*m").expect("regex");
    re.replace_all(text, "").into_owned()
}

/// A Python 2 literal as the log prints it (`{u'a': [True, None, 1]}`) as JSON.
pub(super) fn python_literal(text: &str) -> Value {
    let mut parser = Literal {
        s: text.as_bytes(),
        i: 0,
    };
    parser.value()
}

struct Literal<'a> {
    s: &'a [u8],
    i: usize,
}

impl Literal<'_> {
    fn skip(&mut self) {
        while self.i < self.s.len() && (self.s[self.i] == b' ' || self.s[self.i] == b',') {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Value {
        self.skip();
        match self.s[self.i] {
            b'{' => {
                self.i += 1;
                let mut map = serde_json::Map::new();
                loop {
                    self.skip();
                    if self.s[self.i] == b'}' {
                        self.i += 1;
                        return Value::Object(map);
                    }
                    let Value::String(key) = self.value() else {
                        panic!("dict key")
                    };
                    self.skip();
                    assert_eq!(self.s[self.i], b':');
                    self.i += 1;
                    let value = self.value();
                    map.insert(key, value);
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip();
                    if self.s[self.i] == b']' {
                        self.i += 1;
                        return Value::Array(items);
                    }
                    items.push(self.value());
                }
            }
            b'u' | b'\'' => {
                if self.s[self.i] == b'u' {
                    self.i += 1;
                }
                self.i += 1;
                let start = self.i;
                while self.s[self.i] != b'\'' {
                    self.i += 1;
                }
                let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                self.i += 1;
                Value::String(text)
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len() && !b",}] ".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                match &self.s[start..self.i] {
                    b"True" => Value::Bool(true),
                    b"False" => Value::Bool(false),
                    b"None" => Value::Null,
                    n => serde_json::from_slice(n).expect("a number"),
                }
            }
        }
    }
}

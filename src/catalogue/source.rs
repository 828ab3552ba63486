//! Reading the template catalogue: one markdown document per heat template, as published
//! (`tests/recorded/esi/heat_template/*.md`). Each holds a fenced block with the key
//! `/config/v2.0/heat_templates/<id>` and Gohan's value; the first complete block whose JSON
//! parses is the template (`edge_router.md` has a stray unclosed fence after it).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// Where the key of a template block starts.
const KEY_PREFIX: &str = "/config/v2.0/heat_templates/";

/// One heat template of the catalogue.
#[derive(Debug, Clone)]
pub struct Template {
    /// The template id (`port`, `static_route_aws`).
    pub id: String,
    /// The document it came from.
    pub file: PathBuf,
    /// Gohan's body: `handler`, `id`, `parameter_mappings`, `template_file`, `watch`.
    pub body: Value,
}

impl Template {
    /// `parameter_mappings`.
    pub fn mappings(&self) -> Map<String, Value> {
        self.body
            .get("parameter_mappings")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }

    /// `template_file`.
    pub fn template_file(&self) -> &str {
        self.body
            .get("template_file")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// Why the catalogue could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// A folder or file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A document holds no complete template block.
    #[error("{}: no fenced block with a `{KEY_PREFIX}<id>` key and a JSON value", path.display())]
    NoTemplate {
        /// The document.
        path: PathBuf,
    },
    /// The folder holds no template document.
    #[error("{}: no heat template documents (*.md)", path.display())]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

/// Every template document (`*.md`) of `dir`, sorted by id.
pub fn load_dir(dir: &Path) -> Result<Vec<Template>, CatalogueError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| CatalogueError::Io { path, source }
    };
    let mut templates = vec![];
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            templates.push(parse(&path, &text)?);
        }
    }
    if templates.is_empty() {
        return Err(CatalogueError::Empty { path: dir.into() });
    }
    templates.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(templates)
}

/// The first complete template block of a document.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Template, CatalogueError> {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !line.trim_start().starts_with("```") {
            continue;
        }
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.trim_start().starts_with("```"))
            .collect();
        let Some((key, json)) = block.split_first() else {
            continue;
        };
        let Some(id) = key.trim().strip_prefix(KEY_PREFIX) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<Value>(&json.join("\n")) else {
            continue;
        };
        let body = match value.get("body") {
            Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::Null),
            Some(body) => body.clone(),
            None => Value::Null,
        };
        if body.is_object() {
            return Ok(Template {
                id: id.to_string(),
                file: path.to_owned(),
                body,
            });
        }
    }
    Err(CatalogueError::NoTemplate {
        path: path.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_first_complete_block_and_skips_a_stray_fence() {
        let text = "# t\n```\n/config/v2.0/heat_templates/x\n{\"body\": {\"id\": \"x\", \
                    \"parameter_mappings\": {\"a\": \"Pid\"}}, \"version\": 1}\n```\n\
                    text\n```\nheat_template_version: 2013-05-23\n```\n```\nunclosed\n";
        let t = parse(Path::new("x.md"), text).expect("parses");
        assert_eq!(t.id, "x");
        assert_eq!(t.mappings()["a"], "Pid");
        let none = parse(Path::new("y.md"), "```\nnot a key\n```\n");
        assert!(matches!(none, Err(CatalogueError::NoTemplate { .. })));
    }
}

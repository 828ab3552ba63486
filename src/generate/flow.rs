//! A flow of N resources: units drawn (seeded) from the catalogue's templates, each instance
//! with ids of its own or, often, sharing the related resources of an earlier instance of the
//! same template (many ports on one network and subnet, many interfaces on one VNF instance:
//! the fan-out of a real deployment). Gohan writes them as the recordings show: every create
//! (the referenced resources first), then some updates and logical deletes, each only once the
//! worker reported the resource's version before. A document per resource names its `/state`
//! of each version, with the worker state it must reach.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};

use super::rng::SplitMix64;
use super::unit::{Unit, unit};
use crate::catalogue::Template;
use crate::scenario::{
    Checkpoint, CollectorSpec, Condition, Document, Gohan, GohanOp, HeatSpec, KeySelector, Pick,
    Scenario, Step, StepKind, Wait, WorkerSpec,
};

/// The largest flow `generate` makes.
pub const MAX_RESOURCES: usize = 100_000;
/// How often a new instance of a template shares the related resources of an earlier one.
const SHARE_PERCENT: u64 = 60;
/// How many resources get an update.
const UPDATE_PERCENT: u64 = 20;
/// How many resources nothing refers to get a logical delete.
const DELETE_PERCENT: u64 = 10;
/// The deadline of a flow (and of each wait): this much, plus [`PER_RESOURCE`] per resource.
const BASE_TIMEOUT: Duration = Duration::from_secs(60);
const PER_RESOURCE: Duration = Duration::from_millis(100);
/// Job slots of the reference worker (recorded: 8).
const SLOTS: usize = 8;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How many Gohan resources (heat templates not counted).
    pub resources: usize,
    /// The seed: the same seed and catalogue give the same flow, byte for byte.
    pub seed: u64,
}

/// Why no flow was generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A resource count out of range.
    #[error("the number of resources must be 1 to {MAX_RESOURCES}, not {0}")]
    Count(usize),
    /// No template of the catalogue can take part.
    #[error("no template of the catalogue can take part in a generated flow ({0})")]
    NoUnits(String),
}

/// One resource of the flow.
struct Resource {
    type_: String,
    path: String,
    id: String,
    body: Value,
    updated: Value,
    template: Option<String>,
    workable: bool,
}

impl Resource {
    fn state_key(&self) -> String {
        format!("/state/{}/{}", self.path, self.id)
    }

    fn config_key(&self) -> String {
        format!("/config/{}/{}", self.path, self.id)
    }

    /// The worker state each version ends with.
    fn expected(&self, op: GohanOp) -> &'static str {
        match (self.workable, op) {
            (false, _) => "READ_COMPLETE",
            (true, GohanOp::Create) => "CREATE_COMPLETED",
            (true, GohanOp::Update) => "MODIFY_COMPLETED",
            (true, GohanOp::Delete) => "DELETE_COMPLETED",
        }
    }
}

/// The flow of `options.resources` resources drawn from `catalogue`.
pub fn generate(catalogue: &[Template], options: &Options) -> Result<Scenario, GenerateError> {
    let n = options.resources;
    if !(1..=MAX_RESOURCES).contains(&n) {
        return Err(GenerateError::Count(n));
    }
    let mut why = vec![];
    let units: Vec<Unit> = catalogue
        .iter()
        .filter_map(|t| unit(t, catalogue).map_err(|e| why.push(e)).ok())
        .collect();
    if units.is_empty() {
        return Err(GenerateError::NoUnits(why.join("; ")));
    }
    let mut rng = SplitMix64::new(options.seed);
    let (resources, mix) = draw(&units, n, options.seed, &mut rng)?;
    let mut steps = Steps::default();
    let used: BTreeSet<&str> = resources
        .iter()
        .filter_map(|r| r.template.as_deref())
        .collect();
    for t in catalogue.iter().filter(|t| used.contains(t.id.as_str())) {
        let key = format!("/config/v2.0/heat_templates/{}", t.id);
        steps.gohan(GohanOp::Create, key, Some(t.body.clone()));
    }
    let mut versions: Vec<Vec<(u64, &'static str)>> = Vec::with_capacity(n);
    for r in &resources {
        steps.gohan(GohanOp::Create, r.config_key(), Some(r.body.clone()));
        versions.push(vec![(1, r.expected(GohanOp::Create))]);
    }
    let referenced = referenced(&resources);
    let updates: Vec<usize> = (0..n).filter(|_| rng.percent(UPDATE_PERCENT)).collect();
    let deletes: Vec<usize> = (0..n)
        .filter(|i| !referenced.contains(resources[*i].id.as_str()))
        .filter(|_| rng.percent(DELETE_PERCENT))
        .collect();
    let timeout = timeout(n);
    for (op, which) in [(GohanOp::Update, &updates), (GohanOp::Delete, &deletes)] {
        for &i in which {
            let r = &resources[i];
            let &(version, state) = versions[i].last().unwrap_or(&(1, ""));
            steps.wait(r.state_key(), reported(version, state), timeout);
            let body = (op == GohanOp::Update).then(|| r.updated.clone());
            steps.gohan(op, r.config_key(), body);
            versions[i].push((version + 1, r.expected(op)));
        }
    }
    let width = n.to_string().len();
    let documents = resources
        .iter()
        .zip(&versions)
        .enumerate()
        .map(|(i, (r, versions))| document(i, width, r, versions))
        .collect();
    Ok(Scenario {
        path: PathBuf::from(format!("generated/flow-{n}-{}.yaml", options.seed)),
        id: format!("flow-{n}-{}", options.seed),
        name: format!("Generated flow: {n} resources (seed {})", options.seed),
        description: Some(format!(
            "Generated by `heatbed generate --resources {n} --seed {}` from the template \
             catalogue: {mix}. Gohan creates every resource (referenced ones first), then \
             updates {} and logically deletes {}, each once the worker reported the version \
             before.",
            options.seed,
            updates.len(),
            deletes.len()
        )),
        timeout,
        worker: WorkerSpec::Reference { slots: SLOTS },
        heat: HeatSpec::default(),
        collector: CollectorSpec::default(),
        steps: steps.0,
        documents,
        redactions: vec![],
        keyspace: None,
    })
}

/// `n` resources in creation order, and the mix ("12 port, 3 subnet...") for the description.
fn draw(
    units: &[Unit],
    n: usize,
    seed: u64,
    rng: &mut SplitMix64,
) -> Result<(Vec<Resource>, String), GenerateError> {
    let weights: Vec<u64> = units.iter().map(|u| weight(&u.template)).collect();
    // Per unit, its instances: unit id -> flow id.
    let mut instances: Vec<Vec<BTreeMap<String, String>>> = vec![vec![]; units.len()];
    let mut mix: BTreeMap<&str, usize> = BTreeMap::new();
    let mut resources: Vec<Resource> = Vec::with_capacity(n);
    let mut number = 0usize;
    while resources.len() < n {
        let left = n - resources.len();
        let fits: Vec<u64> = units
            .iter()
            .zip(&weights)
            .zip(&instances)
            .map(|((u, w), seen)| {
                let fits = !seen.is_empty() || u.resources.len() <= left;
                if fits { *w } else { 0 }
            })
            .collect();
        let Some(i) = rng.weighted(&fits) else {
            return Err(GenerateError::NoUnits(format!(
                "none fits in the {left} resources left"
            )));
        };
        let unit = &units[i];
        let seen = &instances[i];
        let shared = (!seen.is_empty()
            && (unit.resources.len() > left || rng.percent(SHARE_PERCENT)))
        .then(|| seen[rng.below(seen.len())].clone());
        number += 1;
        let mut ids = BTreeMap::new();
        for (k, r) in unit.resources.iter().enumerate() {
            let main = k + 1 == unit.resources.len();
            let id = match &shared {
                Some(from) if !main => from[&r.id].clone(),
                _ => {
                    crate::catalogue::uuid(&format!("heatbed:generate:{seed}:{number}:{}", r.type_))
                }
            };
            ids.insert(r.id.clone(), id);
        }
        for (k, r) in unit.resources.iter().enumerate() {
            if shared.is_some() && k + 1 < unit.resources.len() {
                continue;
            }
            let (mut body, mut updated) = (r.body.clone(), r.updated.clone());
            rename(&mut body, &ids);
            rename(&mut updated, &ids);
            resources.push(Resource {
                type_: r.type_.clone(),
                path: r.path.clone(),
                id: ids[&r.id].clone(),
                body,
                updated,
                template: r.template.clone(),
                workable: r.template.is_some(),
            });
        }
        *mix.entry(&unit.template).or_default() += 1;
        instances[i].push(ids);
    }
    let mix: Vec<String> = mix.iter().map(|(t, n)| format!("{n} {t}")).collect();
    Ok((resources, format!("units {}", mix.join(", "))))
}

/// How often a template is drawn, by what a deployment holds most: ports, then networks and
/// subnets, device ports, interfaces, then devices, VNF instances, gateways, load balancers.
fn weight(template: &str) -> u64 {
    match template {
        "port" => 12,
        "network" | "subnet" => 6,
        t if t.contains("port") => 4,
        t if t.ends_with("_interface") => 3,
        t if t == "vnf_instance"
            || t == "public_ip"
            || t.contains("device")
            || t.contains("gateway")
            || t.starts_with("load_balancer") =>
        {
            2
        }
        _ => 1,
    }
}

/// Replaces every string that is a unit id by the instance's id (a loop, no recursion).
fn rename(value: &mut Value, ids: &BTreeMap<String, String>) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => {
                if let Some(new) = ids.get(s.as_str()) {
                    *s = new.clone();
                }
            }
            Value::Array(a) => stack.extend(a.iter_mut()),
            Value::Object(o) => stack.extend(o.values_mut()),
            _ => {}
        }
    }
}

/// The ids some other resource's body holds (a loop, no recursion).
fn referenced(resources: &[Resource]) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    for r in resources {
        let mut stack = vec![&r.body];
        while let Some(v) = stack.pop() {
            match v {
                Value::String(s) if *s != r.id => {
                    out.insert(s.as_str());
                }
                Value::Array(a) => stack.extend(a),
                Value::Object(o) => stack.extend(o.values()),
                _ => {}
            }
        }
    }
    out
}

fn timeout(n: usize) -> Duration {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    BASE_TIMEOUT.saturating_add(PER_RESOURCE.saturating_mul(n))
}

/// The `/state` the worker writes once it handled `version`.
fn reported(version: u64, state: &str) -> Value {
    json!({"version": version, "state": {"worker_state": state}})
}

fn document(i: usize, width: usize, r: &Resource, versions: &[(u64, &str)]) -> Document {
    Document {
        name: format!("{:0width$}-{}", i + 1, r.type_),
        title: format!("{} {}", r.type_, r.id),
        preamble: None,
        checkpoints: versions
            .iter()
            .enumerate()
            .map(|(k, (version, state))| Checkpoint {
                number: k + 1,
                key: KeySelector::Exact(r.state_key()),
                pick: Pick::Matching(reported(*version, state)),
            })
            .collect(),
        journal: None,
        recorded: vec![],
    }
}

#[derive(Default)]
struct Steps(Vec<Step>);

impl Steps {
    fn push(&mut self, kind: StepKind) {
        let line = self.0.len() as u64 + 1;
        self.0.push(Step { line, kind });
    }

    fn gohan(&mut self, op: GohanOp, key: String, body: Option<Value>) {
        self.push(StepKind::Gohan(Gohan { op, key, body }));
    }

    fn wait(&mut self, key: String, subset: Value, timeout: Duration) {
        self.push(StepKind::Wait(Wait {
            key,
            prefix: false,
            condition: Condition::Matches(subset),
            timeout,
        }));
    }
}

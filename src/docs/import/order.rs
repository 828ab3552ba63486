//! The order flows happened in: by where their Gohan writes stand in the config watcher log,
//! and never before a flow whose resources their bodies refer to (the watcher log misses
//! writes, so some flows have no position of their own).

use std::collections::{BTreeMap, BTreeSet};

use super::build::gohan_writes;
use super::folder::Folder;
use super::summary::Gap;

/// Every flow name, earliest first: flows with a position by it; a flow without one just
/// before the first flow that refers to it (a [`Gap`]); then any flow moved before the flows
/// needing it.
pub(super) fn flows_in_order(folder: &Folder, gaps: &mut Vec<Gap>) -> Vec<String> {
    let needs = references(folder);
    let (mut positioned, mut unpositioned): (Vec<_>, Vec<_>) = folder
        .flows
        .keys()
        .map(|flow| (position(folder, flow), flow.clone()))
        .partition(|(p, _)| p.is_some());
    positioned.sort();
    unpositioned.sort();
    let mut order: Vec<String> = positioned.into_iter().map(|(_, f)| f).collect();
    for (_, flow) in unpositioned {
        gaps.push(Gap::FlowOrderGuessed { flow: flow.clone() });
        match order.iter().position(|f| needs[f].contains(&flow)) {
            Some(i) => order.insert(i, flow),
            None => order.push(flow),
        }
    }
    for _ in 0..order.len() * order.len() {
        let misplaced = order.iter().enumerate().find_map(|(i, f)| {
            let j = order[i + 1..]
                .iter()
                .position(|later| needs[f].contains(later))?;
            Some((i, i + 1 + j))
        });
        let Some((i, j)) = misplaced else { break };
        let needed = order.remove(j);
        order.insert(i, needed);
    }
    order
}

/// Index in the config log of a flow's first Gohan write found there.
fn position(folder: &Folder, flow: &str) -> Option<usize> {
    gohan_writes(folder, flow)
        .iter()
        .filter_map(|w| {
            folder
                .config_log
                .iter()
                .position(|e| e.key == w.key && e.is_set() && e.version() == Some(w.version))
        })
        .min()
}

/// For each flow, the other flows whose resource ids its bodies mention.
fn references(folder: &Folder) -> BTreeMap<String, BTreeSet<String>> {
    let ids: BTreeMap<String, BTreeSet<String>> = folder
        .flows
        .keys()
        .map(|flow| {
            let ids = gohan_writes(folder, flow)
                .into_iter()
                .filter(|w| w.version == 1)
                .map(|w| w.key.rsplit('/').next().unwrap_or_default().to_string())
                .collect();
            (flow.clone(), ids)
        })
        .collect();
    folder
        .flows
        .keys()
        .map(|flow| {
            let text: String = gohan_writes(folder, flow)
                .iter()
                .map(|w| w.body.to_string())
                .collect();
            let needs = ids
                .iter()
                .filter(|(other, own)| {
                    *other != flow && own.iter().any(|id| text.contains(id.as_str()))
                })
                .map(|(other, _)| other.clone())
                .collect();
            (flow.clone(), needs)
        })
        .collect()
}

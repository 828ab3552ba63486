//! The sequence diagram as inline SVG: a lane per participant, one row per event (an arrow
//! labelled with the key and revision, or the Heat method, path and status), each checkpoint
//! a numbered badge in the row where it happened, and the checkpoints that never happened as
//! rows after the last event.

use std::fmt::Write as _;

use super::escape;
use super::events::{Event, Lane};
use crate::run::Missing;

const LANE: usize = 190;
const LEFT: usize = 150;
const TOP: usize = 50;
const ROW: usize = 26;

fn lane_x(lane: Lane) -> usize {
    LEFT + LANE / 2 + lane.index() * LANE
}

/// The diagram of `events`, with `missing` listed after them.
pub(super) fn diagram(events: &[Event], missing: &[Missing]) -> String {
    let rows = events.len() + missing.len();
    let width = LEFT + Lane::ALL.len() * LANE + 20;
    let height = TOP + rows * ROW + 30;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    svg.push_str(concat!(
        r#"<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerUnits="userSpaceOnUse" "#,
        r#"markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z"/></marker></defs>"#
    ));
    for lane in Lane::ALL {
        let x = lane_x(lane);
        let _ = write!(
            svg,
            r#"<line class="lifeline" x1="{x}" y1="{TOP}" x2="{x}" y2="{}"/><rect class="lane" x="{}" y="8" width="{}" height="28" rx="4"/><text class="lane" x="{x}" y="27">{}</text>"#,
            height - 10,
            x - LANE / 2 + 10,
            LANE - 20,
            lane.title()
        );
    }
    for (row, event) in events.iter().enumerate() {
        arrow(&mut svg, TOP + row * ROW + ROW / 2 + 6, event);
    }
    for (i, m) in missing.iter().enumerate() {
        let y = TOP + (events.len() + i) * ROW + ROW / 2 + 6;
        let _ = write!(
            svg,
            r#"<g class="missing"><title>{doc} ({n}) {key}: {detail}</title><rect x="4" y="{}" width="{}" height="{}" rx="3"/><text x="10" y="{}">({n}) {doc}: never happened — {key}</text></g>"#,
            y - ROW / 2 + 2,
            width - 8,
            ROW - 4,
            y + 4,
            doc = escape(&m.document),
            n = m.number,
            key = escape(&m.key),
            detail = escape(&m.detail),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn arrow(svg: &mut String, y: usize, event: &Event) {
    let (from, to) = (lane_x(event.from), lane_x(event.to));
    let failed = event.marks.iter().any(|m| !m.ok);
    let class = match (event.marks.is_empty(), failed) {
        (true, _) => "arrow",
        (false, false) => "arrow checkpoint",
        (false, true) => "arrow checkpoint failed",
    };
    let _ = write!(
        svg,
        r##"<g class="{class}" data-seq="{seq}"><a href="#e{seq}"><title>{label}</title><text class="seq" x="{}" y="{}">{seq}</text>"##,
        LEFT - 8,
        y + 4,
        seq = event.seq,
        label = escape(&event.label()),
    );
    let _ = write!(
        svg,
        r#"<line x1="{from}" y1="{y}" x2="{to}" y2="{y}" marker-end="url(#head)"/><text class="label" x="{}" y="{}">{}</text>"#,
        from.min(to) + 6,
        y - 4,
        escape(&event.label())
    );
    for (i, m) in event.marks.iter().enumerate() {
        let x = 14 + i * 44;
        let _ = write!(
            svg,
            r#"<g class="mark{}"><title>{} ({})</title><rect x="{x}" y="{}" width="40" height="18" rx="9"/><text x="{}" y="{}">({})</text></g>"#,
            if m.ok { "" } else { " failed" },
            escape(&m.document),
            m.number,
            y - 9,
            x + 20,
            y + 4,
            m.number
        );
    }
    svg.push_str("</a></g>");
}

/// The diagram's style, for the page's `<style>`.
pub(super) const STYLE: &str = "
svg.sequence { font: 11px ui-monospace, monospace; background: #fff; }
svg.sequence .lifeline { stroke: #bbb; stroke-dasharray: 4 3; }
svg.sequence rect.lane { fill: #eef3fb; stroke: #5577aa; }
svg.sequence text.lane { text-anchor: middle; font: bold 12px sans-serif; }
svg.sequence .arrow line { stroke: #333; }
svg.sequence .arrow text.label { paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.sequence .arrow text.seq { text-anchor: end; fill: #888; }
svg.sequence .checkpoint line { stroke: #1a7f37; stroke-width: 2; }
svg.sequence .checkpoint.failed line { stroke: #cf222e; }
svg.sequence .mark rect { fill: #dafbe1; stroke: #1a7f37; }
svg.sequence .mark.failed rect, svg.sequence .missing rect { fill: #ffebe9; stroke: #cf222e; }
svg.sequence .mark text { text-anchor: middle; font-weight: bold; }
svg.sequence .missing text { fill: #cf222e; font-weight: bold; }
svg.sequence a:hover text.label { fill: #0645ad; }
";

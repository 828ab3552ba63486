//! Outage windows of a fake service (fault steps): for the next N requests, or until the
//! window is ended, the service answers a 5xx, closes the connection without an answer, or
//! answers late. Windows are counted in requests, never in time, so a scenario knows which
//! calls an outage hits whatever the machine's speed.

use std::time::Duration;

/// What a service does to a request while it is out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutageKind {
    /// Answers this status (500 to 599) with the service's error body.
    Status(u16),
    /// Closes the connection without an answer: to an HTTP client, a transport error like
    /// a refused connection.
    Refused,
    /// Answers as usual, this much later (a real delay: never asserted on).
    Latency(Duration),
}

/// An outage: what, and for how many requests (`None`: until it is ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outage {
    /// What each request gets.
    pub kind: OutageKind,
    /// The requests it lasts; `None` until [`Window::close`].
    pub requests: Option<u32>,
}

impl std::fmt::Display for Outage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            OutageKind::Status(status) => write!(f, "answers {status}")?,
            OutageKind::Refused => f.write_str("closes connections unanswered")?,
            OutageKind::Latency(d) => write!(f, "answers {d:?} late")?,
        }
        match self.requests {
            Some(n) => write!(f, " for {n} request(s)"),
            None => f.write_str(" until ended"),
        }
    }
}

/// The outage a service is in, if any.
#[derive(Debug, Default)]
pub(crate) struct Window {
    current: Option<Outage>,
}

impl Window {
    /// Starts `outage` (replacing one under way).
    pub(crate) fn open(&mut self, outage: Outage) {
        self.current = match outage.requests {
            Some(0) => None,
            _ => Some(outage),
        };
    }

    /// Ends the outage under way, if any.
    pub(crate) fn close(&mut self) {
        self.current = None;
    }

    /// A request arrives: what the outage does to it (one request of the window spent).
    pub(crate) fn take(&mut self) -> Option<OutageKind> {
        let outage = self.current.as_mut()?;
        let kind = outage.kind;
        if let Some(left) = outage.requests.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.current = None;
            }
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_of_n_requests_hits_exactly_n() {
        let mut window = Window::default();
        window.open(Outage {
            kind: OutageKind::Status(503),
            requests: Some(2),
        });
        assert_eq!(window.take(), Some(OutageKind::Status(503)));
        assert_eq!(window.take(), Some(OutageKind::Status(503)));
        assert_eq!(window.take(), None);
    }

    #[test]
    fn an_open_ended_window_lasts_until_closed() {
        let mut window = Window::default();
        window.open(Outage {
            kind: OutageKind::Refused,
            requests: None,
        });
        for _ in 0..100 {
            assert_eq!(window.take(), Some(OutageKind::Refused));
        }
        window.close();
        assert_eq!(window.take(), None);
        window.open(Outage {
            kind: OutageKind::Refused,
            requests: Some(0),
        });
        assert_eq!(window.take(), None, "a window of no request is none");
    }
}

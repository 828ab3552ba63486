//! What fault steps reach besides etcd's keys: the etcd heatbed started (kill, restart), the
//! fakes (outages) and the worker (kill, restart). The runner owns the worker, so a step asks
//! for a worker fault through a [`WorkerHandle`] and the runner's [`WorkerOwner`] serves the
//! request while it runs the step; it also notices a worker that exits by itself.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};

use crate::etcd::{Etcd, EtcdError};
use crate::fakes::Fakes;
use crate::scenario::WorkerSpec;
use crate::worker::{Worker, WorkerEnv, WorkerError};

/// Why a fault could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    /// etcd could not be killed or restarted (or its leases expired).
    #[error(transparent)]
    Etcd(#[from] EtcdError),
    /// The run's client cannot reach a restarted etcd.
    #[error("etcd restarted but the run's client cannot reach it: {0}")]
    Unreachable(#[source] etcd_client::Error),
    /// The worker could not be killed or started.
    #[error(transparent)]
    Worker(WorkerError),
}

/// Requests the run's client may fail while it reconnects to a restarted etcd.
const RECONNECTS: usize = 20;

/// What fault steps act on.
pub(crate) struct Control<'a> {
    /// The scenario's etcd.
    pub etcd: &'a Etcd,
    /// The running fakes.
    pub fakes: &'a Fakes,
    /// The worker, through its owner.
    pub worker: WorkerHandle,
}

impl Control<'_> {
    /// Kills every member of the etcd heatbed started (SIGKILL); the clients, the recorder's
    /// watch and the worker's retry until [`Control::etcd_restart`].
    pub(crate) async fn etcd_kill(&self) -> Result<(), FaultError> {
        Ok(self.etcd.kill().await.map(drop)?)
    }

    /// Kills the member the others follow (a lone member: itself).
    pub(crate) async fn etcd_kill_leader(&self) -> Result<(), FaultError> {
        Ok(self.etcd.kill_leader().await.map(drop)?)
    }

    /// Restarts the killed members on their data and ports; waits until etcd serves.
    pub(crate) async fn etcd_restart(&self) -> Result<(), FaultError> {
        self.etcd.restart().await?;
        // The run's client (shared by the recorder, the fakes and the steps) reconnects on
        // its next request: make that a request of its own, so no step's is the one that
        // finds the old connection gone.
        let mut attempts = 1;
        loop {
            match self.etcd.client().status().await {
                Ok(_) => return Ok(()),
                Err(e) if attempts >= RECONNECTS => return Err(FaultError::Unreachable(e)),
                Err(_) => attempts += 1,
            }
        }
    }

    /// Kills the worker as a crash would, then expires every lease etcd holds (the dead
    /// worker's claims), as their TTL would later: heatbed has no clock to wait on.
    pub(crate) async fn worker_kill(&self) -> Result<(), FaultError> {
        self.worker
            .apply(WorkerOp::Kill)
            .await
            .map_err(FaultError::Worker)?;
        Ok(self.etcd.expire_leases().await.map(drop)?)
    }

    /// Starts the killed worker again with the run's spec and env.
    pub(crate) async fn worker_restart(&self) -> Result<(), FaultError> {
        self.worker
            .apply(WorkerOp::Restart)
            .await
            .map_err(FaultError::Worker)
    }
}

/// A worker fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WorkerOp {
    /// Kill it as a crash would.
    Kill,
    /// Start it again with the run's spec and env (after a kill).
    Restart,
}

type Request = (WorkerOp, oneshot::Sender<Result<(), WorkerError>>);

/// Asks the runner for worker faults.
#[derive(Debug, Clone)]
pub(crate) struct WorkerHandle(mpsc::Sender<Request>);

impl WorkerHandle {
    /// Has the runner apply `op`; the error says why it could not.
    pub(crate) async fn apply(&self, op: WorkerOp) -> Result<(), WorkerError> {
        let (reply, answer) = oneshot::channel();
        self.0
            .send((op, reply))
            .await
            .map_err(|_| WorkerError::RunOver)?;
        answer.await.unwrap_or(Err(WorkerError::RunOver))
    }
}

/// The runner's worker: started from `spec` and `env`, killed and restarted on request.
#[derive(Debug)]
pub(crate) struct WorkerOwner {
    worker: Worker,
    spec: WorkerSpec,
    env: WorkerEnv,
    requests: mpsc::Receiver<Request>,
    /// What killed workers printed, in order.
    logs: Vec<String>,
}

impl WorkerOwner {
    /// Starts the worker; the handle asks this owner for faults.
    pub(crate) async fn start(
        spec: &WorkerSpec,
        env: &WorkerEnv,
    ) -> Result<(Self, WorkerHandle), WorkerError> {
        let worker = Worker::start(spec, env).await?;
        let (send, requests) = mpsc::channel(1);
        let owner = WorkerOwner {
            worker,
            spec: spec.clone(),
            env: env.clone(),
            requests,
            logs: Vec::new(),
        };
        Ok((owner, WorkerHandle(send)))
    }

    /// Runs `step`, serving worker faults meanwhile. `Err` with the worker's exit status
    /// when it exited by itself first (a killed worker has not exited: it is gone on
    /// purpose).
    pub(crate) async fn around<T>(&mut self, step: impl Future<Output = T>) -> Result<T, String> {
        let mut step = std::pin::pin!(step);
        loop {
            tokio::select! {
                done = &mut step => return Ok(done),
                Some((op, reply)) = self.requests.recv() => {
                    let _ = reply.send(self.apply(op).await);
                }
                status = self.worker.exited() => return Err(status),
            }
        }
    }

    /// Resolves when the worker exits by itself, with its status.
    pub(crate) async fn exited(&mut self) -> String {
        self.worker.exited().await
    }

    /// Stops the worker; everything every worker of the run printed.
    pub(crate) async fn stop(mut self) -> String {
        self.logs.push(self.worker.stop().await);
        self.logs.concat()
    }

    async fn apply(&mut self, op: WorkerOp) -> Result<(), WorkerError> {
        match op {
            WorkerOp::Kill => {
                if matches!(self.worker, Worker::None) {
                    return Err(WorkerError::NotRunning);
                }
                let log = self.worker.kill().await;
                self.logs.push(log);
                Ok(())
            }
            WorkerOp::Restart => {
                if !matches!(self.worker, Worker::None) {
                    return Err(WorkerError::StillRunning);
                }
                if matches!(self.spec, WorkerSpec::None) {
                    return Err(WorkerError::NoWorker);
                }
                self.worker = Worker::start(&self.spec, &self.env).await?;
                Ok(())
            }
        }
    }
}

//! The incident store on a thread of its own, so no async worker ever waits on a
//! database.
//!
//! Requests hand the store a closure through a bounded queue and await its answer. The
//! store's thread runs them one at a time, in order (so every write is one transaction of
//! the store, in the order received). Every wait is bounded:
//!
//! * a request that finds the queue full waits for room at most [`QUEUE_WAIT`] in total
//!   before it would start, then gets 503 with `Retry-After` — it is then never run;
//! * the database's own lock waits end after [`LOCK_WAIT`] (SQLite's busy timeout,
//!   PostgreSQL's `lock_timeout`), and a wait that ends so is a 503 too: nothing was
//!   changed;
//! * a panic in a request is caught on the store's thread, which goes on.

use crate::ApiError;
use axum::http::StatusCode;
use lifeline_incidents::{IncidentError, Store};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Most requests waiting for the store at once.
pub const QUEUE: usize = 256;
/// Longest a request waits for the store before it starts, in the queue included.
pub const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// Longest the database waits for another writer's lock.
pub const LOCK_WAIT: Duration = Duration::from_secs(2);
/// What a busy answer tells the client to wait before trying again, s.
pub const RETRY_AFTER_S: u32 = 1;

type Work = Box<dyn FnOnce(&mut dyn Store) + Send>;

/// The handle requests use; the store's thread ends when the last handle is dropped.
pub struct Registry {
    queue: mpsc::Sender<Work>,
}

impl Registry {
    /// Moves `store` onto a thread of its own (named `lifeline-registry`) with its lock
    /// waits limited to [`LOCK_WAIT`].
    pub fn start(mut store: Box<dyn Store + Send>) -> std::io::Result<Self> {
        let (queue, mut work) = mpsc::channel::<Work>(QUEUE);
        std::thread::Builder::new()
            .name("lifeline-registry".into())
            .spawn(move || {
                if let Err(error) = store.limit_waits(LOCK_WAIT) {
                    eprintln!("lifeline serve: cannot limit the registry's waits: {error}");
                }
                while let Some(task) = work.blocking_recv() {
                    task(store.as_mut());
                }
            })?;
        Ok(Self { queue })
    }

    /// Runs `work` on the store and gives its answer: 503 with `Retry-After` when the
    /// store is too busy to start it within [`QUEUE_WAIT`] or the database's lock waits
    /// ran out; the store's own errors as [`ApiError`]s.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, IncidentError> + Send + 'static,
    {
        let deadline = Instant::now() + QUEUE_WAIT;
        let (answer, answered) = oneshot::channel();
        let task: Work = Box::new(move |store: &mut dyn Store| {
            // Whoever asked has gone, or waited too long: do nothing for them.
            if answer.is_closed() || Instant::now() > deadline {
                let _ = answer.send(Err(Refusal::Busy));
                return;
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| work(store)));
            let _ = answer.send(match outcome {
                Ok(result) => result.map_err(Refusal::Store),
                Err(_) => Err(Refusal::Panicked),
            });
        });
        let room = self.queue.reserve();
        match tokio::time::timeout_at(tokio::time::Instant::from_std(deadline), room).await {
            Ok(Ok(permit)) => permit.send(task),
            Ok(Err(_)) => return Err(ApiError::internal("the registry (its thread ended)")),
            Err(_) => return Err(busy("the registry is busy")),
        }
        match answered.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(Refusal::Store(error))) => Err(error.into()),
            Ok(Err(Refusal::Busy)) => Err(busy("the registry is busy")),
            Ok(Err(Refusal::Panicked)) | Err(_) => Err(ApiError::internal("the registry")),
        }
    }
}

/// Why a request got no value from the store.
enum Refusal {
    Store(IncidentError),
    Busy,
    Panicked,
}

/// 503 with `Retry-After`.
pub fn busy(message: &str) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("{message}; try again in {RETRY_AFTER_S} s"),
    )
    .retry_after(RETRY_AFTER_S)
}

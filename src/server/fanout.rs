//! Every committed record, pushed to every subscriber. Each subscriber has a
//! bounded queue drained by its own connection thread; publishing never waits: a
//! subscriber whose queue is full is cut off (it reconnects and catches up), so a
//! slow or stuck client never stalls the desk or the other screens.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use crate::server::frame;
use crate::server::log::Log;
use crate::server::protocol::Reply;
use crate::store::Record;

/// Records a subscriber may fall behind by before it is disconnected.
pub const QUEUE: usize = 1024;

/// One encoded `Reply::Record` frame, shared by every subscriber's queue.
pub type Frame = Arc<Vec<u8>>;

struct Sub {
    who: String,
    tx: SyncSender<Frame>,
}

pub struct Fanout {
    subs: Mutex<Vec<Sub>>,
    capacity: usize,
}

impl Default for Fanout {
    fn default() -> Fanout {
        Fanout::with_capacity(QUEUE)
    }
}

impl Fanout {
    pub fn with_capacity(capacity: usize) -> Fanout {
        Fanout {
            subs: Mutex::new(Vec::new()),
            capacity,
        }
    }

    /// A new subscriber's queue. Call it while holding the desk, so that the
    /// subscriber gets exactly the records committed after the head it was told.
    pub fn add(&self, who: String) -> Receiver<Frame> {
        let (tx, rx) = mpsc::sync_channel(self.capacity);
        if let Ok(mut subs) = self.subs.lock() {
            subs.push(Sub { who, tx });
        }
        rx
    }

    pub fn len(&self) -> usize {
        self.subs.lock().map(|s| s.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Tells every subscriber the desk raised its alarm (see `Reply::Alarm`).
    pub fn publish_alarm(&self, alarm: &str, log: &Log) {
        let bytes = match frame::encode(&Reply::Alarm(alarm.to_string())) {
            Ok(b) => Arc::new(b),
            Err(e) => {
                log.error(&format!("cannot encode the alarm: {e}"));
                return;
            }
        };
        if let Ok(mut subs) = self.subs.lock() {
            // One that cannot take it is behind anyway, and resyncs on reconnecting.
            subs.retain(|s| s.tx.try_send(bytes.clone()).is_ok());
        }
    }

    /// Queues `records` for every subscriber, dropping those that cannot keep up.
    pub fn publish(&self, records: &[Record], log: &Log) {
        let Ok(mut subs) = self.subs.lock() else {
            return;
        };
        if subs.is_empty() {
            return;
        }
        for rec in records {
            let bytes = match rec.to_bytes().and_then(|b| {
                frame::encode(&Reply::Record(b))
                    .map_err(|e| crate::error::DeskError::Internal(e.to_string()))
            }) {
                Ok(b) => Arc::new(b),
                Err(e) => {
                    log.error(&format!("cannot encode record {}: {e}", rec.body.seq));
                    continue;
                }
            };
            subs.retain(|s| match s.tx.try_send(bytes.clone()) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) => {
                    log.warn(&format!(
                        "disconnecting subscriber {}: it fell {} records behind",
                        s.who, self.capacity
                    ));
                    false
                }
                Err(TrySendError::Disconnected(_)) => false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Event, TicketId};
    use crate::store::{Body, GENESIS};

    fn rec(seq: u64) -> Record {
        Record::seal(
            Body {
                seq,
                at_us: 1,
                operator: "a".into(),
                unix_user: "a".into(),
                shift: 1,
                request: None,
                event: Event::TicketNoted {
                    id: TicketId("R001".into()),
                    text: "x".into(),
                },
            },
            GENESIS,
        )
        .unwrap()
        .0
    }

    #[test]
    fn a_stuck_subscriber_is_dropped_and_the_others_get_everything() {
        let fan = Fanout::with_capacity(4);
        let stuck = fan.add("stuck".into());
        let live = fan.add("live".into());
        let mut got = 0;
        for seq in 1..=10 {
            fan.publish(&[rec(seq)], &Log::none());
            while live.try_recv().is_ok() {
                got += 1;
            }
        }
        assert_eq!(got, 10);
        assert_eq!(fan.len(), 1, "the stuck subscriber was cut off");
        // It got what fitted in its queue, then its channel was closed.
        assert_eq!(stuck.try_iter().count(), 4);
    }
}

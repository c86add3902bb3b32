//! A progress line on stderr for runs longer than about a second, only when stderr is a
//! terminal (never in CI logs or when redirected). It names no file: only the elapsed time.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a run goes before the progress line appears.
const DELAY: Duration = Duration::from_millis(1000);
const TICK: Duration = Duration::from_millis(100);

pub struct Progress {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the timer; nothing is printed unless stderr is a terminal and the run is long.
    pub fn start(what: &'static str) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let done = Arc::clone(&done);
            std::thread::spawn(move || {
                let started = Instant::now();
                let mut shown = false;
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(TICK);
                    let elapsed = started.elapsed();
                    if elapsed >= DELAY && !done.load(Ordering::Relaxed) {
                        let mut err = std::io::stderr().lock();
                        let _ = write!(err, "\r{what}… {:.1}s", elapsed.as_secs_f64());
                        let _ = err.flush();
                        shown = true;
                    }
                }
                if shown {
                    let mut err = std::io::stderr().lock();
                    // Clear the line so the report starts clean.
                    let _ = write!(err, "\r\x1b[K");
                    let _ = err.flush();
                }
            })
        });
        Progress { done, thread }
    }

    /// Stops and clears the progress line before the report is printed.
    pub fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

//! The terminal and the event loop. Three small threads feed one channel: keys
//! and resizes from crossterm, records from the desk's subscription, and a clock
//! tick each second (which also notices SIGHUP/SIGTERM). The loop applies every
//! waiting message, then draws once, and only if something changed.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, KeyEvent};

use crate::clock::SharedClock;
use crate::domain::Lang;
use crate::error::DeskError;
use crate::seam::DeskApi;
use crate::seam::Live;
use crate::tui::app::Subscription;
use crate::tui::{App, Keymap, Theme};

enum Msg {
    Key(KeyEvent),
    Resize,
    Live(Box<Live>),
    Tick,
    Stop,
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    // Only an atomic store: the one thing that is safe in a signal handler.
    STOP.store(true, Ordering::SeqCst);
}

/// SIGHUP (the SSH link dropped) and SIGTERM end the loop so the terminal is restored.
fn catch_signals() {
    for sig in [libc::SIGHUP, libc::SIGTERM] {
        // SAFETY: installs a handler that only stores to an atomic.
        unsafe {
            let mut act: libc::sigaction = std::mem::zeroed();
            act.sa_sigaction = on_signal as *const () as usize;
            libc::sigemptyset(&mut act.sa_mask);
            libc::sigaction(sig, &act, std::ptr::null_mut());
        }
    }
}

/// Opens the dashboard on a desk until the operator quits. The keymap is read
/// before the terminal is touched, so a bad keymap file is a plain message.
///
/// `data` is the data directory, when it is local: for a site in a group the
/// header then shows the shipping state its owner leaves there.
pub fn run(
    api: Box<dyn DeskApi>,
    clock: SharedClock,
    lang: Lang,
    data: Option<std::path::PathBuf>,
) -> Result<i32, DeskError> {
    let keymap = Keymap::load_for_user()?;
    // After the keymap: a file to mend is the more useful message of the two.
    need_terminal()?;
    let mut app = App::new(api, clock, lang, keymap, Theme::from_env())?;
    app.group_dir = data;
    app.refresh();
    let mut terminal = ratatui::try_init()
        .map_err(|e| DeskError::Internal(format!("cannot set up the terminal: {e}")))?;
    catch_signals();
    let result = event_loop(&mut terminal, &mut app);
    ratatui::restore();
    result.map(|_| 0)
}

/// The dashboard draws on a terminal and reads keys from it: without one (a
/// script, a cron job, a pipe) say so and point to the command line (exit 2).
pub fn need_terminal() -> Result<(), DeskError> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(DeskError::invalid(
        "dashboard",
        crate::domain::Reason::NeedsTerminal,
    ))
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> Result<(), DeskError> {
    let (tx, rx) = mpsc::channel::<Msg>();
    let input = tx.clone();
    thread::spawn(move || loop {
        let msg = match crossterm::event::read() {
            Ok(TermEvent::Key(k)) => Msg::Key(k),
            Ok(TermEvent::Resize(..)) => Msg::Resize,
            Ok(_) => continue,
            Err(_) => Msg::Stop,
        };
        let stop = matches!(msg, Msg::Stop);
        if input.send(msg).is_err() || stop {
            break;
        }
    });
    if let Some(sub) = app.take_subscription() {
        let records = tx.clone();
        thread::spawn(move || {
            let live: Box<dyn Iterator<Item = Live>> = match sub {
                Subscription::Live(rx) => Box::new(rx.into_iter()),
                Subscription::Records(rx) => Box::new(rx.into_iter().map(Live::Record)),
            };
            for r in live {
                if records.send(Msg::Live(Box::new(r))).is_err() {
                    break;
                }
            }
        });
    }
    thread::spawn(move || {
        let mut n = 0u32;
        loop {
            thread::sleep(Duration::from_millis(200));
            n += 1;
            let msg = if STOP.load(Ordering::SeqCst) {
                Msg::Stop
            } else if n.is_multiple_of(5) {
                Msg::Tick
            } else {
                continue;
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });

    draw(terminal, app)?;
    while let Ok(first) = rx.recv() {
        let mut msgs = vec![first];
        msgs.extend(rx.try_iter());
        let mut dirty = false;
        for m in msgs {
            match m {
                Msg::Key(k) => app.key(k),
                Msg::Resize => {}
                Msg::Live(r) => app.live(*r),
                Msg::Tick => app.refresh(),
                Msg::Stop => return Ok(()),
            }
            dirty = true;
            if app.should_quit() {
                return Ok(());
            }
        }
        if dirty {
            draw(terminal, app)?;
        }
    }
    Ok(())
}

fn draw(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> Result<(), DeskError> {
    terminal
        .draw(|f| app.draw(f))
        .map_err(|e| DeskError::Internal(format!("cannot draw on the terminal: {e}")))?;
    if app.take_bell() {
        let mut out = std::io::stdout();
        let _ = out.write_all(b"\x07");
        let _ = out.flush();
    }
    Ok(())
}

//! The dashboard: a keyboard-driven live queue for the night desk.
//!
//! - `app`: the state, the screen stack and `key`/`record`/`draw`;
//! - `screens/`: one file per screen or dialog; `widgets/`: shared pieces;
//! - `keymap`: keys as data (`keymaps/*.toml`); `strings`: every word in both
//!   languages; `theme`: styles, monochrome with `NO_COLOR`;
//! - `run`: the terminal and the event loop (input thread, desk records, 1 s tick).

pub mod app;
pub mod keymap;
pub mod render;
pub mod run;
pub mod screens;
pub mod strings;
pub mod theme;
pub mod view;
pub mod widgets;

pub use app::App;
pub use keymap::Keymap;
pub use theme::Theme;

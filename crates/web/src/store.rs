//! The app's one store: the simulated world and what the student is doing with it. Every
//! control dispatches an `Action`; components read the store through a context.

use fota_sim::World;
use std::rc::Rc;
use yew::prelude::*;

/// Pause between two datagrams while playing, in milliseconds of wall time.
pub const SPEEDS: [(u32, &str); 4] = [(800, "0.25×"), (400, "0.5×"), (200, "1×"), (50, "4×")];
pub const DEFAULT_SPEED_MS: u32 = 200;

#[derive(Clone)]
pub struct Store {
    pub world: World,
    /// The world as the scenario starts it, for Reset.
    pub start: World,
    pub playing: bool,
    pub selected: Option<usize>,
    pub speed_ms: u32,
}

pub enum Action {
    Play,
    Pause,
    /// One datagram forward (a button press).
    Step,
    /// One datagram forward while playing; stops playing at the end.
    Tick,
    RunToEnd,
    Reset,
    Select(usize),
    SetSpeed(u32),
}

impl Store {
    pub fn new(world: World) -> Store {
        Store {
            start: world.clone(),
            world,
            playing: false,
            selected: None,
            speed_ms: DEFAULT_SPEED_MS,
        }
    }

    pub fn finished(&self) -> bool {
        self.world.is_finished()
    }
}

/// Every action makes a new store, so identity is equality: contexts re-render on each change
/// without comparing whole worlds.
impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            Action::Play => s.playing = !s.finished(),
            Action::Pause => s.playing = false,
            Action::Step => {
                s.playing = false;
                s.world.step_datagram();
            }
            Action::Tick => {
                if s.playing && !s.world.step_datagram() {
                    s.playing = false;
                }
            }
            Action::RunToEnd => {
                s.world.run_to_end();
                s.playing = false;
            }
            Action::Reset => {
                s.world = s.start.clone();
                s.playing = false;
                s.selected = None;
            }
            Action::Select(i) => s.selected = (i < s.world.trace().len()).then_some(i),
            Action::SetSpeed(ms) => s.speed_ms = ms,
        }
        Rc::new(s)
    }
}

pub type StoreHandle = UseReducerHandle<Store>;

//! « Avancer l’horloge »: simulated time, to see an activation link expire.

use didact_sim::Action;
use web_sys::Element;

use super::dom::Field;
use super::{Ctx, Values};

/// The action of a clock form.
pub fn action(kind: &str, values: &Values) -> Option<Action> {
    match kind {
        "advance_clock" => Some(Action::AdvanceClock {
            minutes: values.get("minutes").trim().parse().unwrap_or(0),
        }),
        _ => None,
    }
}

/// The simulated time: `Temps simulé : jour 1, 00 h 10 (début le 03/03/2025)`.
pub fn now(clock: u64, start_date: &str) -> String {
    format!(
        "Temps simulé : {} (début le {})",
        time(clock),
        french_date(start_date)
    )
}

/// A minute of the clock as `jour 1, 00 h 10`.
pub fn time(clock: u64) -> String {
    let day = clock / (24 * 60) + 1;
    let hours = clock / 60 % 24;
    let minutes = clock % 60;
    format!("jour {day}, {hours:02} h {minutes:02}")
}

/// `2025-03-03` → `03/03/2025`.
fn french_date(date: &str) -> String {
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [year, month, day] => format!("{day}/{month}/{year}"),
        _ => date.to_owned(),
    }
}

/// « Avancer l’horloge ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Avancer l’horloge");
    dom.add_text(
        parent,
        "p",
        "sim-note",
        "Le temps du simulateur ne passe que si vous l’avancez. Par exemple, un lien d’activation est valable 60 minutes.",
    );
    dom.add_text(
        parent,
        "p",
        "",
        &now(ctx.world.clock, &ctx.world.start_date),
    );
    let quick = dom.add(parent, "div", "sim-actions");
    for (minutes, label) in [
        ("10", "+ 10 minutes"),
        ("61", "+ 61 minutes"),
        ("1440", "+ 1 jour"),
    ] {
        dom.button_form(&quick, "advance_clock", label, &[("minutes", minutes)]);
    }
    let form = dom.form(parent, "advance_clock", "Autre durée");
    dom.input(&form, Field::new("minutes", "Minutes").kind("number"));
    dom.submit(&form, "Avancer", "");
}

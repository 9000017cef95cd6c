//! « Messagerie simulée »: every e-mail the simulated portal sent, newest first; the
//! activation e-mail carries its link.

use didact_sim::world::EmailKind;
use web_sys::Element;

use super::clock::time;
use super::dom::set;
use super::{Ctx, Screen};

/// The body line that stands for the activation link.
const LINK_LINE: &str = "[Activer mon compte]";

/// « Messagerie simulée ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Messagerie simulée");
    dom.add_text(
        parent,
        "p",
        "sim-note",
        "Les e-mails envoyés par le portail simulé aux personnes de l’exercice arrivent ici (aucun vrai e-mail n’est envoyé).",
    );
    if ctx.world.mailbox.is_empty() {
        dom.add_text(parent, "p", "sim-note", "Aucun message.");
        return;
    }
    let list = dom.add(parent, "ul", "sim-mailbox");
    for email in ctx.world.mailbox.iter().rev() {
        let item = dom.add(&list, "li", "sim-mail");
        set(&item, "data-mail", &email.id.to_string());
        dom.add_text(&item, "h4", "sim-mail-subject", &email.subject);
        dom.add_text(
            &item,
            "p",
            "sim-mail-meta",
            &format!(
                "De : Chorus Pro (simulé) — À : {} — Reçu : {}",
                email.to,
                time(email.sent_at)
            ),
        );
        for line in email.body.lines().filter(|line| line.trim() != LINK_LINE) {
            dom.add_text(&item, "p", "", line);
        }
        if let EmailKind::Activation { token } = &email.kind {
            let button = dom.nav_button(&item, "Activer mon compte", Screen::Activate.name());
            set(&button, "data-token", token);
        }
    }
}

//! The end of a works contract in the Chorus Pro practice portal, on the « Fin de marché » and
//! « Décompte tacite » pages of `tests/fixtures/sim-invoices` (the end-of-contract exercises of
//! `crates/sim/FORMAT.md`), in Chromium and in Firefox:
//!
//! - A7 → A17 → A20 → A8, the learner switching between titulaire, MOE and MOA, after a MOE
//!   mistake (a piece number already used) whose explanation (« Pourquoi ? … ») is shown;
//! - the tacit route: A22, an A23 refused before the MOA's 10 days, the clock, then the A23.

use crate::harness::{run, Session, BROWSERS};
use crate::portal::{Exercise, SIM_INVOICES};

#[test]
fn the_end_of_contract_exercises_are_completed_after_a_mistake() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let s = &session;
            let fin = SIM_INVOICES
                .open(s, "fin-de-marche.html", "ex-travaux-dgd")
                .await;
            decompte_general_signed_with_reserves(&fin).await;
            let tacite = SIM_INVOICES
                .open(s, "dgd-tacite.html", "ex-travaux-dgd-tacite")
                .await;
            dgd_tacite(&tacite).await;
            session.finish().await;
        });
    }
}

/// A7 as titulaire, A17 as MOE (after a duplicate number), A20 as MOA, A8 as titulaire.
async fn decompte_general_signed_with_reserves(ex: &Exercise<'_>) {
    ex.nav("works").await;
    ex.choose("deposit_works_piece", "cadre", "A7").await;
    ex.fill("deposit_works_piece", "numero", "DF-2025-01").await;
    ex.fill("deposit_works_piece", "amount_ht", "98 450,00")
        .await;
    ex.submit("deposit_works_piece").await;
    ex.flash("DF-2025-01").await;
    ex.goal_met(0).await;

    ex.role("moe", "maîtrise d'œuvre").await;
    let form = "form[data-form=\"create_projet_decompte_general\"][data-for-piece=\"DF-2025-01\"]";
    ex.fill_in(&ex.css(form), "numero", "DF-2025-01").await;
    ex.submit_in(form).await;
    let error = ex.error("porte déjà le numéro").await;
    assert!(
        error.contains("Pourquoi ? Chaque pièce du dossier de facturation a son propre numéro"),
        "{error}"
    );
    ex.fill_in(&ex.css(form), "numero", "PDG-2025-01").await;
    ex.submit_in(form).await;
    ex.flash("(A17) est déposé").await;
    ex.goal_met(1).await;

    ex.role("moa", "maîtrise d'ouvrage").await;
    let form = "form[data-form=\"notify_decompte_general\"][data-for-piece=\"PDG-2025-01\"]";
    ex.fill_in(&ex.css(form), "numero", "DG-2025-01").await;
    ex.submit_in(form).await;
    ex.flash("(A20) est notifié").await;
    ex.goal_met(2).await;

    ex.role("titulaire", "titulaire").await;
    let form = "form[data-form=\"sign_decompte_general\"][data-for-piece=\"DG-2025-01\"]";
    ex.fill_in(&ex.css(form), "numero", "DGD-2025-01").await;
    ex.fill_in(
        &ex.css(form),
        "reserves",
        "Travaux supplémentaires non repris",
    )
    .await;
    ex.submit_in(form).await;
    ex.flash("signé avec réserves").await;
    ex.completed().await;
    ex.session
        .wait_text(&ex.css("[data-piece=\"DGD-2025-01\"]"), "A8")
        .await;
}

/// A22 to the silent MOA; the A23 is refused before 10 days, accepted after the clock.
async fn dgd_tacite(ex: &Exercise<'_>) {
    ex.nav("works").await;
    let form = "form[data-form=\"send_projet_decompte_tacite\"][data-for-piece=\"DF-2025-01\"]";
    ex.fill_in(&ex.css(form), "numero", "PT-2025-01").await;
    ex.submit_in(form).await;
    ex.flash("(A22) est envoyé").await;
    ex.goal_met(0).await;

    let form = "form[data-form=\"deposit_dgd_tacite\"][data-for-piece=\"PT-2025-01\"]";
    ex.fill_in(&ex.css(form), "numero", "DGDT-2025-01").await;
    ex.submit_in(form).await;
    let error = ex.error("dispose encore de 10 jour(s)").await;
    assert!(error.contains("Pourquoi ?"), "{error}");

    ex.submit("advance_to_next_event").await;
    ex.session
        .wait_text(&ex.css("[data-piece=\"PT-2025-01\"]"), "tacite")
        .await;
    ex.fill_in(&ex.css(form), "numero", "DGDT-2025-01").await;
    ex.submit_in(form).await;
    ex.flash("(A23) est déposé").await;
    ex.completed().await;
}

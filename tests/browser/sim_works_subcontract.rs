//! A sous-traitant's works piece in the Chorus Pro practice portal, on the « Travaux
//! sous-traités » page of `tests/fixtures/sim-invoices`, in Chromium and in Firefox: the
//! learner, as titulaire, first refuses the A10 without a reason (the explanation
//! « Pourquoi ? … » is shown next to the reason), then validates it; the simulated MOE
//! deposits its état d'acompte after the clock, which meets the goal.

use crate::harness::{run, Session, BROWSERS};
use crate::portal::{Exercise, SIM_INVOICES};

const PIECE: &str = "ST-PD-2025-04";

#[test]
fn the_titulaire_validates_the_subcontractor_piece_after_a_refusal_without_reason() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let page = "travaux-sous-traitant.html";
            let exercise = SIM_INVOICES
                .open(&session, page, "ex-travaux-sous-traitant")
                .await;
            refuse_without_reason_then_validate(&exercise).await;
            session.finish().await;
        });
    }
}

async fn refuse_without_reason_then_validate(ex: &Exercise<'_>) {
    ex.nav("works").await;
    let row = ex.css(&format!("[data-piece=\"{PIECE}\"]"));
    ex.session
        .wait_text(&row, "À valider par le titulaire")
        .await;

    let refuse = format!("form[data-form=\"refuse_works_piece\"][data-for-piece=\"{PIECE}\"]");
    ex.submit_in(&refuse).await;
    let error = ex
        .error_in(&refuse, "Un motif de refus est obligatoire")
        .await;
    assert!(
        error.contains("Pourquoi ? Un refus arrête le circuit de facturation de la pièce"),
        "{error}"
    );
    let invalid = ex
        .session
        .wait_value(
            &format!(
                "return document.querySelector({:?}).getAttribute('aria-invalid')",
                ex.css(&format!("{refuse} [name=\"motif\"]"))
            ),
            |v| !v.is_null(),
        )
        .await;
    assert_eq!(
        invalid, "true",
        "the reason is marked as the field in error"
    );
    ex.session
        .wait_text(&row, "À valider par le titulaire")
        .await;

    let validate = format!("form[data-form=\"validate_works_piece\"][data-for-piece=\"{PIECE}\"]");
    let note = ex
        .element(&ex.css(&format!("{validate} .sim-note")))
        .await
        .text()
        .await
        .expect("read the element's text");
    assert!(note.contains("16/04/2025 (15 jours)"), "{note}");
    assert!(note.contains("validée tacitement"), "{note}");
    ex.submit_in(&validate).await;
    ex.flash("validée").await;
    ex.session.wait_text(&row, "Mise à disposition MOE").await;
    let left = ex
        .session
        .wait_value(
            &format!(
                "return document.querySelectorAll({:?}).length",
                ex.css(&validate)
            ),
            |v| v.is_number(),
        )
        .await;
    assert_eq!(
        left, 0,
        "a validated piece is no longer offered for validation"
    );

    ex.submit("advance_to_next_event").await;
    ex.goal_met(0).await;
    ex.completed().await;
    ex.session.wait_text(&row, "Prise en compte MOE").await;
}

//! Saving and restoring a world: JSON round-trip with invoices, and refusal of other versions.

use didact_sim::world::WORLD_VERSION;
use didact_sim::{LoadError, World};

use crate::invoice_support::*;

#[test]
fn a_world_with_invoices_works_and_sollicitations_survives_from_json() {
    let mut world = factures();
    act(
        &mut world,
        &user(LEARNER),
        &format!(
            r#"{{"type": "send_invoice", "form": {}}}"#,
            json(&commune_form("FAC-9"))
        ),
    );
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "create_sollicitation", "draft": true, "form": {"title": "Question"}}"#,
    );
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "advance_days", "days": 3}"#,
    );
    let text = json(&world);
    assert_eq!(World::from_json(&text), Ok(world));
    let works = travaux();
    assert_eq!(World::from_json(&json(&works)), Ok(works));
}

#[test]
fn a_world_of_another_version_is_refused_with_a_clear_message() {
    let mut value: serde_json::Value = serde_json::to_value(factures()).unwrap();
    value["version"] = serde_json::json!(1);
    let error = World::from_json(&value.to_string()).unwrap_err();
    assert_eq!(
        error,
        LoadError::UnsupportedVersion {
            found: 1,
            supported: WORLD_VERSION
        }
    );
    let text = error.to_string();
    assert!(
        text.starts_with("saved world has version 1, this simulator reads version 2"),
        "{text}"
    );
    assert!(text.contains("l'exercice repart de son début"), "{text}");
    value["version"] = serde_json::json!(99);
    assert!(matches!(
        World::from_json(&value.to_string()),
        Err(LoadError::UnsupportedVersion { found: 99, .. })
    ));
}

#[test]
fn a_world_without_version_or_not_json_is_refused() {
    assert_eq!(World::from_json("{}"), Err(LoadError::MissingVersion));
    assert!(matches!(
        World::from_json("pas du JSON"),
        Err(LoadError::Invalid(_))
    ));
    assert!(matches!(
        World::from_json(r#"{"version": 2, "clock": "demain"}"#),
        Err(LoadError::Invalid(_))
    ));
}

#[test]
fn every_kind_of_e_mail_keeps_its_json_form_and_reads_back() {
    use didact_sim::invoice::Status;
    use didact_sim::world::EmailKind;

    let kinds = [
        (
            EmailKind::Activation {
                token: "t-1".into(),
            },
            r#"{"type":"activation","token":"t-1"}"#,
        ),
        (
            EmailKind::RattachementRequested { request_id: 3 },
            r#"{"type":"rattachement_requested","request_id":3}"#,
        ),
        (
            EmailKind::RattachementValidated { request_id: 4 },
            r#"{"type":"rattachement_validated","request_id":4}"#,
        ),
        (
            EmailKind::RattachementRefused { request_id: 5 },
            r#"{"type":"rattachement_refused","request_id":5}"#,
        ),
        (
            EmailKind::UserAttached { siret: "1".into() },
            r#"{"type":"user_attached","siret":"1"}"#,
        ),
        (
            EmailKind::GestionnaireTransferred { siret: "2".into() },
            r#"{"type":"gestionnaire_transferred","siret":"2"}"#,
        ),
        (
            EmailKind::InvoiceReturned {
                invoice_id: 7,
                status: Status::ARecycler,
            },
            r#"{"type":"invoice_returned","invoice_id":7,"status":"A_RECYCLER"}"#,
        ),
        (
            EmailKind::SollicitationAnswered {
                sollicitation_id: 8,
            },
            r#"{"type":"sollicitation_answered","sollicitation_id":8}"#,
        ),
    ];
    for (kind, text) in kinds {
        assert_eq!(serde_json::to_string(&kind).unwrap(), text);
        assert_eq!(serde_json::from_str::<EmailKind>(text).unwrap(), kind);
    }
    // Key order does not matter, nor do keys of other kinds (as with serde's derive).
    assert_eq!(
        serde_json::from_str::<EmailKind>(r#"{"siret":"9","type":"user_attached","x":1}"#).unwrap(),
        EmailKind::UserAttached { siret: "9".into() }
    );
    let missing =
        serde_json::from_str::<EmailKind>(r#"{"type":"invoice_returned","invoice_id":1}"#)
            .unwrap_err()
            .to_string();
    assert!(missing.contains("missing field `status`"), "{missing}");
    let unknown = serde_json::from_str::<EmailKind>(r#"{"type":"spam"}"#)
        .unwrap_err()
        .to_string();
    assert!(unknown.contains("unknown variant `spam`"), "{unknown}");
}

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

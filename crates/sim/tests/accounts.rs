use didact_sim::world::{AccountStatus, EmailKind};
use didact_sim::UserRef;

use crate::support::*;

const CREATE: &str = r#"{"type": "create_account", "login_email": "paul.durand@menuiserie-durand.fr", "last_name": "Durand", "first_name": "Paul", "phone": "05 56 00 00 00", "accept_conditions": true}"#;

fn activate(token: &str) -> String {
    format!(
        r#"{{"type": "activate_account", "token": "{token}", "password": "{PASSWORD}", "password_confirmation": "{PASSWORD}"}}"#
    )
}

#[test]
fn creating_an_account_sends_the_activation_link_to_the_login_address() {
    let mut world = world();
    let outcome = act(&mut world, &UserRef::Anonymous, CREATE);
    assert!(outcome.message.contains("60 minutes"));
    let account = world.account(LEARNER).unwrap();
    assert_eq!(account.status, AccountStatus::PendingActivation);
    assert_eq!(
        account.contact_email, LEARNER,
        "contact defaults to the login"
    );
    assert_eq!(account.phone.as_deref(), Some("05 56 00 00 00"));
    let mails = world.emails_for(LEARNER);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, LEARNER);
    assert!(matches!(mails[0].kind, EmailKind::Activation { .. }));
}

#[test]
fn activation_within_60_minutes_succeeds_then_login_works() {
    let mut world = world();
    act(&mut world, &UserRef::Anonymous, CREATE);
    act(
        &mut world,
        &UserRef::Anonymous,
        r#"{"type": "advance_clock", "minutes": 60}"#,
    );
    let token = last_activation_token(&world, LEARNER);
    act(&mut world, &UserRef::Anonymous, &activate(&token));
    assert_eq!(
        world.account(LEARNER).unwrap().status,
        AccountStatus::Active
    );
    act(
        &mut world,
        &UserRef::Anonymous,
        &format!(r#"{{"type": "login", "email": "{LEARNER}", "password": "{PASSWORD}"}}"#),
    );
    assert_eq!(world.current_user.as_deref(), Some(LEARNER));
    act(&mut world, &user(LEARNER), r#"{"type": "logout"}"#);
    assert_eq!(world.current_user, None);
}

#[test]
fn activation_link_expires_after_61_minutes_and_can_be_resent() {
    let mut world = world();
    act(&mut world, &UserRef::Anonymous, CREATE);
    let old_token = last_activation_token(&world, LEARNER);
    act(
        &mut world,
        &UserRef::Anonymous,
        r#"{"type": "advance_clock", "minutes": 61}"#,
    );
    assert_eq!(
        refuse(&mut world, &UserRef::Anonymous, &activate(&old_token)),
        ["activation-link-expired"]
    );
    act(
        &mut world,
        &UserRef::Anonymous,
        &format!(r#"{{"type": "resend_activation", "email": "{LEARNER}"}}"#),
    );
    assert_eq!(
        refuse(&mut world, &UserRef::Anonymous, &activate(&old_token)),
        ["activation-link-invalid"],
        "the old link no longer works"
    );
    let new_token = last_activation_token(&world, LEARNER);
    act(&mut world, &UserRef::Anonymous, &activate(&new_token));
    assert_eq!(
        world.account(LEARNER).unwrap().status,
        AccountStatus::Active
    );
}

#[test]
fn activation_checks_the_password_rules_and_confirmation() {
    let mut world = world();
    act(&mut world, &UserRef::Anonymous, CREATE);
    let token = last_activation_token(&world, LEARNER);
    let codes = refuse(
        &mut world,
        &UserRef::Anonymous,
        &format!(
            r#"{{"type": "activate_account", "token": "{token}", "password": "chorus", "password_confirmation": "chorus2"}}"#
        ),
    );
    assert_eq!(codes, ["password-weak", "password-mismatch"]);
}

#[test]
fn account_form_reports_every_missing_or_invalid_field() {
    let mut world = world();
    let codes = refuse(
        &mut world,
        &UserRef::Anonymous,
        r#"{"type": "create_account", "login_email": "paul.durand", "last_name": "", "first_name": " ", "phone": "12", "contact_email": "x@", "accept_conditions": false}"#,
    );
    assert_eq!(
        codes,
        [
            "email-format",
            "required",
            "required",
            "phone-format",
            "email-format",
            "conditions-not-accepted"
        ]
    );
}

#[test]
fn one_account_per_login_address() {
    let mut world = world();
    let codes = refuse(
        &mut world,
        &UserRef::Anonymous,
        r#"{"type": "create_account", "login_email": "Claire.Petit@papeterie-du-centre.fr", "last_name": "Petit", "first_name": "Claire", "accept_conditions": true}"#,
    );
    assert_eq!(codes, ["account-exists"]);
}

#[test]
fn contact_address_receives_notifications_when_given() {
    let mut world = world();
    act(
        &mut world,
        &UserRef::Anonymous,
        r#"{"type": "create_account", "login_email": "paul.durand@menuiserie-durand.fr", "last_name": "Durand", "first_name": "Paul", "contact_email": "compta@menuiserie-durand.fr", "accept_conditions": true}"#,
    );
    assert_eq!(
        world.account(LEARNER).unwrap().contact_email,
        "compta@menuiserie-durand.fr"
    );
    assert_eq!(
        world.mailbox.last().unwrap().to,
        LEARNER,
        "activation goes to the login"
    );
}

#[test]
fn login_is_refused_before_activation_and_with_a_wrong_password() {
    let mut world = world();
    assert_eq!(
        refuse(
            &mut world,
            &UserRef::Anonymous,
            &format!(r#"{{"type": "login", "email": "{NINA}", "password": "{PASSWORD}"}}"#)
        ),
        ["account-not-active"]
    );
    assert_eq!(
        refuse(
            &mut world,
            &UserRef::Anonymous,
            &format!(r#"{{"type": "login", "email": "{CLAIRE}", "password": "wrong"}}"#)
        ),
        ["login-failed"]
    );
    assert_eq!(
        refuse(
            &mut world,
            &UserRef::Anonymous,
            r#"{"type": "login", "email": "nobody@example.fr", "password": "x"}"#
        ),
        ["login-failed"]
    );
}

#[test]
fn scenario_pending_account_has_a_working_activation_email() {
    let mut world = world();
    let token = last_activation_token(&world, NINA);
    act(&mut world, &UserRef::Anonymous, &activate(&token));
    assert_eq!(world.account(NINA).unwrap().status, AccountStatus::Active);
}

#[test]
fn secret_question_needs_a_logged_in_user() {
    let mut world = world();
    let json = r#"{"type": "set_secret_question", "question": "Ville de naissance ?", "answer": "Bordeaux"}"#;
    assert_eq!(
        refuse(&mut world, &UserRef::Anonymous, json),
        ["not-logged-in"]
    );
    learner_logged_in(&mut world);
    act(&mut world, &user(LEARNER), json);
    let question = world
        .account(LEARNER)
        .unwrap()
        .secret_question
        .clone()
        .unwrap();
    assert_eq!(question.answer, "Bordeaux");
    assert_eq!(
        refuse(
            &mut world,
            &user(LEARNER),
            r#"{"type": "set_secret_question", "question": "", "answer": ""}"#
        ),
        ["required", "required"]
    );
}

#[test]
fn personal_data_can_be_updated_from_mon_compte() {
    let mut world = world();
    learner_logged_in(&mut world);
    act(
        &mut world,
        &user(LEARNER),
        r#"{"type": "update_account", "last_name": "Durand", "first_name": "Paul", "phone": "+33 5 56 00 00 00", "contact_email": "compta@menuiserie-durand.fr"}"#,
    );
    let account = world.account(LEARNER).unwrap();
    assert_eq!(account.contact_email, "compta@menuiserie-durand.fr");
    assert_eq!(account.phone.as_deref(), Some("+33 5 56 00 00 00"));
}

//! `apply` never panics on invoice, works, sollicitation and clock actions, and a refused
//! action changes nothing.

use didact_sim::invoice::{
    Amount, Attachment, Cadre, InvoiceForm, SollicitationEvent, SollicitationForm, VatRate,
};
use didact_sim::records::WorksRole;
use didact_sim::{apply, Action, UserRef, World};
use proptest::prelude::*;

use crate::invoice_support::{commune_form, factures, travaux, LEARNER, MARC};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("FAC-2025-0042".to_owned()),
        Just("fac-0042".to_owned()),
        Just("81452763600017".to_owned()),
        Just("21990001600011".to_owned()),
        Just("SERV-FIN".to_owned()),
        "\\PC{0,12}",
    ]
}

fn form() -> impl Strategy<Value = InvoiceForm> {
    (
        text(),
        text(),
        text(),
        any::<bool>(),
        -2i64..2_000_000,
        0u8..6,
    )
        .prop_map(|(number, service, recipient, a9, cents, cadre)| {
            let mut form = commune_form(&number);
            form.service_code = service;
            if !recipient.is_empty() {
                form.recipient_siret = recipient;
            }
            form.cadre = [
                None,
                Some(Cadre::A1),
                Some(Cadre::A2),
                Some(Cadre::A9),
                Some(Cadre::A12),
                Some(Cadre::A4),
            ][usize::from(cadre)];
            if a9 {
                form.valideur_siret = "83716249400012".to_owned();
            }
            form.already_paid = Amount::from_cents(cents);
            form
        })
}

fn id() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..40, Just(u64::MAX)]
}

fn amount() -> impl Strategy<Value = Amount> {
    (-100i64..10_000_000).prop_map(Amount::from_cents)
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (proptest::option::of(id()), form())
            .prop_map(|(invoice_id, form)| Action::SaveInvoiceDraft { invoice_id, form }),
        (proptest::option::of(id()), form())
            .prop_map(|(invoice_id, form)| Action::SendInvoice { invoice_id, form }),
        (text(), text()).prop_map(|(document, supplier_siret)| Action::DepositPdf {
            document,
            supplier_siret
        }),
        id().prop_map(|invoice_id| Action::DeleteInvoiceDraft { invoice_id }),
        (id(), form()).prop_map(|(invoice_id, form)| Action::RecycleInvoice { invoice_id, form }),
        (
            id(),
            proptest::collection::vec((text(), 0u64..20_000_000, any::<bool>()), 0..3)
        )
            .prop_map(|(invoice_id, files)| Action::CompleteInvoice {
                invoice_id,
                attachments: files
                    .into_iter()
                    .map(|(name, size_bytes, password_protected)| Attachment {
                        name,
                        size_bytes,
                        password_protected
                    })
                    .collect(),
            }),
        id().prop_map(|invoice_id| Action::AcknowledgeInvoice { invoice_id }),
        (id(), text()).prop_map(|(invoice_id, comment)| Action::ValidateInvoice {
            invoice_id,
            comment
        }),
        (id(), text())
            .prop_map(|(invoice_id, reason)| Action::RefuseInvoice { invoice_id, reason }),
        (
            id(),
            prop_oneof![
                Just(WorksRole::Titulaire),
                Just(WorksRole::Moe),
                Just(WorksRole::Moa)
            ]
        )
            .prop_map(|(dossier_id, role)| Action::SwitchWorksRole { dossier_id, role }),
        (
            id(),
            prop_oneof![
                Just(Cadre::A4),
                Just(Cadre::A5),
                Just(Cadre::A7),
                Just(Cadre::A15)
            ],
            text(),
            amount()
        )
            .prop_map(
                |(dossier_id, cadre, number, amount_ht)| Action::DepositWorksPiece {
                    dossier_id,
                    cadre,
                    number,
                    amount_ht,
                    vat_rate: VatRate::Intermediate,
                }
            ),
        (id(), 0usize..5, text(), amount()).prop_map(
            |(dossier_id, projet_id, number, amount_ht)| {
                Action::CreateEtatAcompte {
                    dossier_id,
                    projet_id,
                    number,
                    amount_ht,
                }
            }
        ),
        (id(), 0usize..5, text(), amount()).prop_map(|(dossier_id, etat_id, number, amount_ht)| {
            Action::ValidateEtatAcompte {
                dossier_id,
                etat_id,
                number,
                amount_ht,
            }
        }),
        (id(), 0usize..5).prop_map(|(dossier_id, piece_id)| Action::ValidateWorksPiece {
            dossier_id,
            piece_id
        }),
        (id(), 0usize..5, text()).prop_map(|(dossier_id, piece_id, reason)| {
            Action::RefuseWorksPiece {
                dossier_id,
                piece_id,
                reason,
            }
        }),
        (id(), 0usize..6, text(), amount()).prop_map(
            |(dossier_id, final_id, number, amount_ht)| Action::CreateProjetDecompteGeneral {
                dossier_id,
                final_id,
                number,
                amount_ht,
            }
        ),
        (id(), 0usize..6, text(), amount()).prop_map(
            |(dossier_id, projet_id, number, amount_ht)| Action::NotifyDecompteGeneral {
                dossier_id,
                projet_id,
                number,
                amount_ht,
            }
        ),
        (id(), 0usize..6, text(), text()).prop_map(
            |(dossier_id, decompte_id, number, reserves)| Action::SignDecompteGeneral {
                dossier_id,
                decompte_id,
                number,
                reserves,
            }
        ),
        (id(), 0usize..6, text()).prop_map(|(dossier_id, decompte_id, reason)| {
            Action::RefuseDecompteGeneral {
                dossier_id,
                decompte_id,
                reason,
            }
        }),
        (id(), 0usize..6, text(), amount()).prop_map(
            |(dossier_id, final_id, number, amount_ht)| Action::SendProjetDecompteTacite {
                dossier_id,
                final_id,
                number,
                amount_ht,
            }
        ),
        (id(), 0usize..6, text()).prop_map(|(dossier_id, projet_id, number)| {
            Action::DepositDgdTacite {
                dossier_id,
                projet_id,
                number,
            }
        }),
        (text(), text(), any::<bool>()).prop_map(|(title, message, draft)| {
            Action::CreateSollicitation {
                form: SollicitationForm {
                    category: "Facture".to_owned(),
                    subcategory: "Suivi d'une facture".to_owned(),
                    title,
                    message,
                    ..SollicitationForm::default()
                },
                draft,
            }
        }),
        id().prop_map(|sollicitation_id| Action::SendSollicitation { sollicitation_id }),
        (
            id(),
            prop_oneof![
                Just(SollicitationEvent::Close),
                Just(SollicitationEvent::SendBack),
                Just(SollicitationEvent::ProvideInformation),
                Just(SollicitationEvent::Answer)
            ],
            text()
        )
            .prop_map(
                |(sollicitation_id, event, message)| Action::ActOnSollicitation {
                    sollicitation_id,
                    event,
                    message
                }
            ),
        prop_oneof![0u32..40, Just(u32::MAX)].prop_map(|days| Action::AdvanceDays { days }),
        Just(Action::AdvanceToNextEvent),
        Just(Action::AdvanceClock { minutes: u64::MAX }),
    ]
}

fn actor() -> impl Strategy<Value = UserRef> {
    prop_oneof![
        3 => Just(UserRef::user(LEARNER)),
        1 => Just(UserRef::user(MARC)),
        1 => Just(UserRef::Anonymous),
    ]
}

fn run(mut world: World, steps: Vec<(UserRef, Action)>) -> Result<(), TestCaseError> {
    for (actor, action) in steps {
        let before = world.clone();
        let json = serde_json::to_string(&action).unwrap();
        prop_assert_eq!(
            serde_json::from_str::<Action>(&json).unwrap(),
            action.clone()
        );
        match apply(&mut world, &actor, action) {
            Ok(outcome) => prop_assert!(!outcome.message.is_empty()),
            Err(errors) => {
                prop_assert_eq!(&world, &before);
                prop_assert!(!errors.is_empty());
                for error in errors {
                    prop_assert!(
                        !error.message.is_empty() && !error.rule.is_empty(),
                        "{:?}",
                        error
                    );
                }
            }
        }
    }
    let json = serde_json::to_string(&world).unwrap();
    prop_assert_eq!(World::from_json(&json).unwrap(), world);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn invoice_actions_never_panic_and_refusals_change_nothing(
        steps in proptest::collection::vec((actor(), action()), 1..12)
    ) {
        run(factures(), steps)?;
    }

    #[test]
    fn works_actions_never_panic_and_refusals_change_nothing(
        steps in proptest::collection::vec((actor(), action()), 1..12)
    ) {
        run(travaux(), steps)?;
    }
}

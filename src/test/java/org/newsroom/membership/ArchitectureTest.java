package org.newsroom.membership;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Which feature may depend on which (issue 17). From the bottom: {@code platform} ← {@code
 * accounts} ← {@code entitlements} ← {@code donations} ← {@code stripe}; entitlements reads giving
 * through {@code SupportFacts.Source}, which donations implements, and donations asks for payments
 * through {@code PaymentGateway}, which stripe implements. The features above ({@code reports},
 * {@code receipts}, {@code support}, {@code notifications}, {@code dashboard}) may use anything
 * below them, and nothing below may use them. Flyway's Java migrations ({@code db.migration}) are
 * outside the features and not checked.
 *
 * <p>A new package under {@code org.newsroom.membership} fails the layered rule until it is given a
 * place here.
 */
@AnalyzeClasses(
    packages = "org.newsroom.membership",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String ROOT = "org.newsroom.membership.";

  @ArchTest
  static final ArchRule noTwoFeaturesDependOnEachOther =
      slices().matching(ROOT + "(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule featuresDependOnlyOnTheOnesBelowThem =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .ensureAllClassesAreContainedInArchitectureIgnoring("db.migration..")
          .layer("platform")
          .definedBy(ROOT + "platform..")
          .layer("accounts")
          .definedBy(ROOT + "accounts..")
          .layer("entitlements")
          .definedBy(ROOT + "entitlements..")
          .layer("donations")
          .definedBy(ROOT + "donations..")
          .layer("stripe")
          .definedBy(ROOT + "stripe..")
          .layer("features above")
          .definedBy(
              ROOT + "reports..",
              ROOT + "receipts..",
              ROOT + "support..",
              ROOT + "notifications..",
              ROOT + "dashboard..")
          .whereLayer("platform")
          .mayNotAccessAnyLayer()
          .whereLayer("accounts")
          .mayOnlyAccessLayers("platform")
          .whereLayer("entitlements")
          .mayOnlyAccessLayers("platform", "accounts")
          .whereLayer("donations")
          .mayOnlyAccessLayers("platform", "accounts", "entitlements")
          .whereLayer("stripe")
          .mayOnlyAccessLayers("platform", "accounts", "entitlements", "donations")
          .whereLayer("features above")
          .mayNotBeAccessedByAnyLayer();

  @ArchTest
  static final ArchRule donationsSpeaksItsOwnWordsToStripe =
      noClasses()
          .that()
          .resideInAPackage(ROOT + "donations..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.stripe..", "com.google.gson..")
          .because("donations asks for payments through PaymentGateway, which stripe implements");
}

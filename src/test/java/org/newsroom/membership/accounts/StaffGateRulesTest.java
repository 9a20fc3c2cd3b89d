package org.newsroom.membership.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Staff endpoints are gated by annotation ({@link StaffGate} is the one place that asks for roles,
 * and {@code StaffAccess.admit} is package-private so nothing else can). What the compiler cannot
 * see is a resource reading the admitted member without being gated: then {@code admitted()} would
 * fail at run time instead of refusing the caller.
 */
class StaffGateRulesTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.newsroom.membership");

  @Test
  void onlyAStaffOnlyEndpointAsksWhoTheGateAdmitted() {
    List<String> ungated =
        CLASSES.get(StaffAccess.class).getMethod("admitted").getCallsOfSelf().stream()
            .map(call -> call.getOrigin())
            .filter(caller -> !gated(caller))
            .map(JavaCodeUnit::getFullName)
            .toList();

    assertThat(ungated)
        .as("methods that read StaffAccess.admitted() outside a @StaffOnly resource")
        .isEmpty();
  }

  /** A resource method or class under @StaffOnly, or a private helper of a @StaffOnly class. */
  private static boolean gated(JavaCodeUnit caller) {
    return caller.isAnnotatedWith(StaffOnly.class)
        || caller.getOwner().isAnnotatedWith(StaffOnly.class)
            && caller.getOwner().isAnnotatedWith(Path.class);
  }
}

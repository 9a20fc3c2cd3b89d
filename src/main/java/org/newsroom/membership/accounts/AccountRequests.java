package org.newsroom.membership.accounts;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Set;

/** The bodies the accounts endpoints accept. Unknown fields (roles, id, ...) are ignored. */
public final class AccountRequests {

  private AccountRequests() {}

  public record Register(
      @NotBlank @Email @Size(max = 320) String email,
      @NotNull String password,
      @Size(max = 100) String displayName,
      Boolean marketingConsent) {}

  public record SignIn(@NotNull @Size(max = 320) String email, @NotNull String password) {}

  public record EmailOnly(@NotBlank @Email @Size(max = 320) String email) {}

  public record TokenOnly(@NotNull @Size(max = 200) String token) {}

  /** The mailed token, and the account's password when the client is not signed in as it. */
  public record VerificationConfirmation(
      @NotNull @Size(max = 200) String token, @Size(max = 1024) String password) {}

  public record ProfileChange(@Size(max = 100) String displayName, Boolean marketingConsent) {}

  public record PasswordChange(@NotNull String currentPassword, @NotNull String newPassword) {}

  public record PasswordReset(
      @NotNull @Size(max = 200) String token, @NotNull String newPassword) {}

  public record PasswordConfirmation(@NotNull String password) {}

  public record StaffRoles(@NotBlank @Email String email, @NotNull Set<Role> roles) {}
}

package org.newsroom.membership.accounts;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.UUID;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/** Who is calling, as {@link SessionAuthentication} found it for this request. */
@RequestScoped
public class Caller {

  @Inject Members members;

  private UUID memberId;
  private String tokenHash;

  void signedIn(SessionLookup session) {
    this.memberId = session.memberId();
    this.tokenHash = session.tokenHash();
  }

  public boolean isSignedIn() {
    return memberId != null;
  }

  /** The signed-in member's id; 401 for anyone else. */
  public UUID memberId() {
    if (memberId == null) {
      throw ProblemException.unauthorized();
    }
    return memberId;
  }

  public String tokenHash() {
    memberId();
    return tokenHash;
  }

  /**
   * 401 when not signed in, 403 without one of the roles. Roles are read fresh, so a revoked staff
   * role stops working at once. Only {@link StaffAccess} asks this, so that every refusal is logged
   * and audited: it is the one gate in front of staff endpoints.
   */
  Member requireAnyRole(Role... roles) {
    Member member = members.get(memberId());
    if (Arrays.stream(roles).noneMatch(member::hasRole)) {
      throw new ProblemException(
          ProblemType.FORBIDDEN, "This needs one of the roles " + Arrays.toString(roles) + ".");
    }
    return member;
  }
}

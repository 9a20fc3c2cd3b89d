package org.newsroom.membership.entitlements;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.MemberChanged;
import org.newsroom.membership.accounts.Members;
import org.newsroom.membership.accounts.SupporterStatus;
import org.newsroom.membership.platform.NearCache;
import org.newsroom.membership.platform.SharedCaches;

/**
 * Entitlement snapshots: member id to the rendered answer of the article-page check, in the shared
 * JCache. A snapshot is built on a miss and dropped as soon as something it shows changes ({@link
 * MemberChanged}, after the change committed); the expiry is only a safety net.
 */
@ApplicationScoped
public class Entitlements implements SupporterStatus {

  private static final Jsonb JSON = JsonbBuilder.create();

  @Inject SharedCaches caches;
  @Inject Members members;
  @Inject SupportFacts.Source supportFacts;

  @Inject
  @ConfigProperty(name = "entitlements.one-off-window-days")
  int oneOffWindowDays;

  @Inject
  @ConfigProperty(name = "entitlements.quiet-days")
  int quietDays;

  @Inject
  @ConfigProperty(name = "entitlements.client-ttl-seconds")
  int clientTtlSeconds;

  private NearCache snapshots;
  private SupporterRule rule;
  private EntitlementSnapshot anonymous;
  private EntitlementSnapshot degraded;

  @PostConstruct
  void init() {
    rule = new SupporterRule(Duration.ofDays(oneOffWindowDays), Duration.ofDays(quietDays));
    anonymous =
        render(
            new EntitlementBody(
                false, null, null, false, null, null, null, true, null, clientTtlSeconds),
            null);
    degraded =
        render(
            new EntitlementBody(
                false, null, null, false, null, null, null, true, true, clientTtlSeconds),
            null);
    snapshots = caches.entitlements();
  }

  public EntitlementSnapshot anonymous() {
    return anonymous;
  }

  /** For readers whose session could not be checked: anonymous, and says so. */
  public EntitlementSnapshot degraded() {
    return degraded;
  }

  /**
   * The member's snapshot: from the cache in steady state, rebuilt from the database on a miss.
   * Empty when the member no longer exists.
   */
  public Optional<EntitlementSnapshot> snapshotFor(UUID memberId) {
    String key = memberId.toString();
    EntitlementSnapshot cached = snapshots.get(key, EntitlementSnapshot::decode);
    Instant now = Instant.now();
    if (cached != null && cached.validAt(now)) {
      return Optional.of(cached);
    }
    Optional<Member> member = members.find(memberId);
    if (member.isEmpty()) {
      return Optional.empty();
    }
    EntitlementSnapshot snapshot = build(member.get(), now);
    snapshots.put(key, snapshot.encode());
    return Optional.of(snapshot);
  }

  @Override
  public boolean isSupporter(UUID memberId) {
    return snapshotFor(memberId).map(EntitlementSnapshot::supporter).orElse(false);
  }

  /** The facts behind the answer, for callers that need more than the JSON (the signed token). */
  public SupporterRule.Verdict verdictFor(UUID memberId) {
    return rule.apply(supportFacts.factsOf(memberId), Instant.now());
  }

  void evict(@Observes(during = TransactionPhase.AFTER_SUCCESS) MemberChanged change) {
    snapshots.remove(change.memberId().toString());
  }

  private EntitlementSnapshot build(Member member, Instant now) {
    SupporterRule.Verdict verdict = rule.apply(supportFacts.factsOf(member.id()), now);
    EntitlementBody body =
        new EntitlementBody(
            true,
            member.id(),
            member.displayName(),
            verdict.supporter(),
            verdict.supporterSince(),
            verdict.recurring() == null
                ? null
                : new EntitlementBody.RecurringSummary(
                    verdict.recurring().frequency(), verdict.recurring().status().name()),
            verdict.paymentFailed() ? "PAYMENT_FAILED" : null,
            verdict.showSupportAsk(),
            null,
            clientTtlSeconds);
    return render(body, verdict.validUntil());
  }

  private static EntitlementSnapshot render(EntitlementBody body, Instant validUntil) {
    return EntitlementSnapshot.of(
        JSON.toJson(body), body.supporter(), body.showSupportAsk(), validUntil);
  }
}

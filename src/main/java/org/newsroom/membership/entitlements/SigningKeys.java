package org.newsroom.membership.entitlements;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ES256 keys that sign entitlement tokens. They come from {@code entitlements.signing-keys} (a
 * JWK set with private keys, newest first; what a cluster must use so every instance signs with the
 * same key) or are generated on first start and kept in {@code data.dir/keys}. A key older than the
 * rotation period is replaced by a new one at start, and the previous key stays published so tokens
 * it signed keep verifying until they expire.
 */
@ApplicationScoped
public class SigningKeys {

  private static final int KEYS_KEPT = 3;

  @Inject
  @ConfigProperty(name = "entitlements.signing-keys")
  Optional<String> configuredKeys;

  @Inject
  @ConfigProperty(name = "entitlements.key-rotation-days")
  int rotationDays;

  @Inject
  @ConfigProperty(name = "data.dir")
  String dataDir;

  private volatile List<ECKey> keys;

  @PostConstruct
  void load() {
    try {
      if (configuredKeys.isPresent() && !configuredKeys.get().isBlank()) {
        keys = ecKeys(JWKSet.parse(configuredKeys.get()));
        return;
      }
      Path file = Path.of(dataDir, "keys", "entitlements-jwks.json");
      List<ECKey> stored =
          Files.exists(file)
              ? ecKeys(JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)))
              : List.of();
      List<ECKey> rotated = rotate(stored, Instant.now());
      if (!rotated.equals(stored)) {
        write(file, rotated);
      }
      keys = rotated;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the entitlement signing keys", e);
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("The entitlement signing keys are not a valid JWK set", e);
    }
  }

  /** The key new tokens are signed with. */
  public ECKey current() {
    return keys.get(0);
  }

  /** Every published key, public parts only: what {@code /.well-known/jwks.json} serves. */
  public JWKSet publicKeys() {
    return new JWKSet(new ArrayList<JWK>(keys)).toPublicJWKSet();
  }

  List<ECKey> rotate(List<ECKey> stored, Instant now) throws JOSEException {
    if (!stored.isEmpty()) {
      Date issued = stored.get(0).getIssueTime();
      if (issued != null && issued.toInstant().plus(Duration.ofDays(rotationDays)).isAfter(now)) {
        return stored;
      }
    }
    List<ECKey> next = new ArrayList<>();
    next.add(
        new ECKeyGenerator(Curve.P_256)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256)
            .keyID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .generate());
    next.addAll(stored.subList(0, Math.min(stored.size(), KEYS_KEPT - 1)));
    return next;
  }

  private static List<ECKey> ecKeys(JWKSet set) {
    List<ECKey> ec = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      ec.add(jwk.toECKey());
    }
    if (ec.isEmpty()) {
      throw new IllegalStateException("The entitlement signing key set is empty");
    }
    return ec;
  }

  private static void write(Path file, List<ECKey> keys) throws IOException {
    Files.createDirectories(file.getParent());
    String json = new JWKSet(new ArrayList<JWK>(keys)).toString(false);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, json, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the folder's own permissions apply.
    }
    Files.move(
        temp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}

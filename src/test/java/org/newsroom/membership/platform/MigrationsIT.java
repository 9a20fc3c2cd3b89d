package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.testing.Postgres;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The migrations apply from empty on both databases, and JPA maps what they create. An integration
 * test: it needs the PostgreSQL server, which a unit test run must not.
 */
class MigrationsIT {

  private static final List<String> LOCATIONS = List.of("classpath:db/migration");
  private String schema;

  @AfterEach
  void dropSchema() {
    if (schema != null) {
      Postgres.dropSchema(schema);
    }
  }

  @Test
  void migrationsApplyFromEmptyOnH2AndASecondRunIsANoOp() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    assertMigratesOnceAndMapsMembers(h2);
  }

  @Test
  void migrationsApplyFromEmptyOnPostgresqlAndASecondRunIsANoOp() {
    schema = Postgres.createSchema("unit");
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(Postgres.url(schema));
    pg.setUser(Postgres.USER);
    pg.setPassword(Postgres.PASSWORD);
    assertMigratesOnceAndMapsMembers(pg);
  }

  @Test
  void twoInstancesStartingTogetherApplyEachMigrationOnce() throws Exception {
    schema = Postgres.createSchema("unit");
    java.util.concurrent.Callable<Integer> instance =
        () -> {
          PGSimpleDataSource pg = new PGSimpleDataSource();
          pg.setURL(Postgres.url(schema));
          pg.setUser(Postgres.USER);
          pg.setPassword(Postgres.PASSWORD);
          return Migrations.flyway(pg, LOCATIONS).migrate().migrationsExecuted;
        };
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(instance);
      var second = pool.submit(instance);
      int applied = first.get() + second.get();
      PGSimpleDataSource pg = new PGSimpleDataSource();
      pg.setURL(Postgres.url(schema));
      pg.setUser(Postgres.USER);
      pg.setPassword(Postgres.PASSWORD);
      // Flyway's PostgreSQL advisory lock makes the second wait, then find nothing to do.
      assertThat(applied).isEqualTo(Migrations.flyway(pg, LOCATIONS).info().applied().length);
    } finally {
      pool.shutdown();
    }
  }

  private static void assertMigratesOnceAndMapsMembers(DataSource dataSource) {
    Flyway flyway = Migrations.flyway(dataSource, LOCATIONS);
    assertThat(flyway.migrate().migrationsExecuted).isPositive();
    assertThat(flyway.migrate().migrationsExecuted).isZero();
    assertThat(flyway.info().pending()).isEmpty();

    EntityManagerFactory factory =
        Persistence.createEntityManagerFactory(
            "membership",
            Map.of(
                "jakarta.persistence.transactionType", "RESOURCE_LOCAL",
                "jakarta.persistence.jtaDataSource", "",
                "jakarta.persistence.nonJtaDataSource", dataSource,
                "eclipselink.target-server", "None"));
    try {
      Member written = new Member("Grace@Example.org", "$argon2id$stub", "Grace", true);
      EntityManager em = factory.createEntityManager();
      em.getTransaction().begin();
      em.persist(written);
      em.getTransaction().commit();
      em.close();

      EntityManager reader = factory.createEntityManager();
      Member read = reader.find(Member.class, written.id());
      assertThat(read).isNotSameAs(written);
      assertThat(read.email()).isEqualTo("Grace@Example.org");
      assertThat(read.displayName()).isEqualTo("Grace");
      assertThat(read.marketingConsent()).isTrue();
      assertThat(read.roles()).isEqualTo(written.roles());
      assertThat(read.createdAt().toInstant()).isEqualTo(written.createdAt().toInstant());
      assertThat(
              reader
                  .createQuery("SELECT m FROM Member m WHERE m.emailNormalized = :e", Member.class)
                  .setParameter("e", "grace@example.org")
                  .getResultList())
          .hasSize(1);
      reader.close();
    } finally {
      factory.close();
    }
  }
}

package org.newsroom.membership.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;

class P256Test {

  @Test
  void webPushMessagesMadeWithItDecryptByTheStandardWithTheJdksOwnKeys() throws Exception {
    // The browser's keys come from the JDK's SunEC, as a real browser's come from elsewhere.
    PushBrowser browser = PushBrowser.at("https://push.example/send");
    P256.install();
    P256.install();
    WebPush webPush = new WebPush("mailto:test@localhost", VapidKeys.generate());
    byte[] message =
        webPush.getBody(
            "{\"title\":\"Breaking\"}".getBytes(StandardCharsets.UTF_8),
            Base64.getUrlDecoder().decode(browser.p256dh()),
            browser.authSecret);
    assertThat(PushDecryption.decrypt(browser, message)).isEqualTo("{\"title\":\"Breaking\"}");
  }

  @Test
  void onlyKeyPairsAndEcdhChangeProviderEverythingElseStaysTheJdks() throws Exception {
    P256.install();
    assertThat(Security.getProviders()[0].getName()).isEqualTo("MembershipP256");
    assertThat(KeyPairGenerator.getInstance("EC").getProvider().getName())
        .isEqualTo("MembershipP256");
    assertThat(KeyAgreement.getInstance("ECDH").getProvider().getName())
        .isEqualTo("MembershipP256");
    assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
    assertThat(java.security.Signature.getInstance("SHA256withECDSA").getProvider().getName())
        .isEqualTo("SunEC");
  }
}

package org.newsroom.membership.receipts;

import java.util.List;

/**
 * Who thanks the giver on receipts and statements: the organisation's name and postal address
 * (lines), and the gift or tax wording its accountants require (e.g. "No goods or services were
 * provided in return").
 */
public record Organisation(String name, List<String> address, String giftWording) {}

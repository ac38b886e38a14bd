package com.neurocards.contracts.event;

/** A product photo as Telegram knows it. Never a URL: Telegram file URLs carry the bot token. */
public record Photo(String fileId, String fileUniqueId) {}

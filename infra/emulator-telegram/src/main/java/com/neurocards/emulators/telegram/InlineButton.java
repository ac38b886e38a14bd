package com.neurocards.emulators.telegram;

/** One button of a message's inline keyboard, with its place (row, column from 0). */
public record InlineButton(String text, String callbackData, String url, int row, int column) {}

/*
 * System.r - the System file's resources, compiled by tools/rez into the
 * resource fork GRUB loads as the "System" boot module. The Window
 * Manager's tests and the boot script open their windows from here.
 */

resource 'WIND' (128, "Document", purgeable) {
    {60, 40, 260, 360}, zoomDocProc, visible, goAway, 0x0, "Untitled", noAutoCenter
};

resource 'WIND' (129, "Notes", purgeable) {
    {120, 220, 360, 560}, zoomDocProc, visible, goAway, 0x0, "Notes", staggerMainScreen
};

resource 'WIND' (130, "Palette") {
    {300, 600, 420, 760}, noGrowDocProc, invisible, noGoAway, 42, "Tools"
};

resource 'MENU' (128, "Apple") {
    128, textMenuProc, allEnabled, enabled, "\0x14",
    {   "About This Macintosh\0xC9", noIcon, noKey, noMark, plain;
        "-", noIcon, noKey, noMark, plain
    }
};

resource 'MENU' (129, "File") {
    129, textMenuProc, 0x7FFFFFFB, enabled, "File",
    {   "New", noIcon, "N", noMark, plain;
        "Close", noIcon, "W", noMark, plain;
        "-", noIcon, noKey, noMark, plain;
        "Quit", noIcon, "Q", noMark, bold
    }
};

resource 'DLOG' (128, "About") {
    {80, 120, 240, 480}, dBoxProc, visible, noGoAway, 0x0, 128, "", alertPositionMainScreen
};

resource 'ALRT' (128, "Low memory", purgeable) {
    {60, 80, 180, 440}, 129,
    {   OK, visible, sound1;
        OK, visible, sound1;
        OK, visible, sound1;
        OK, visible, silent
    },
    alertPositionMainScreen
};

resource 'DITL' (128, purgeable) {
    {   {120, 270, 140, 340}, Button { enabled, "OK" };
        {10, 80, 60, 340}, StaticText { disabled, "A Classic Mac OS Memory Manager on a nanokernel." };
        {10, 20, 42, 52}, Icon { disabled, 1 };
        {70, 20, 90, 340}, UserItem { disabled }
    }
};

resource 'DITL' (129, purgeable) {
    {   {80, 270, 100, 340}, Button { enabled, "OK" };
        {80, 180, 100, 250}, Button { enabled, "Cancel" };
        {10, 80, 60, 340}, StaticText { disabled, "Memory is running low. Close a window." };
        {60, 20, 76, 180}, CheckBox { enabled, "Don't warn again" }
    }
};

resource 'CNTL' (128, "OK button") {
    {120, 270, 140, 340}, 0, visible, 1, 0, pushButProc, 0x0, "OK"
};

resource 'CNTL' (129, "Scroll") {
    {-1, 305, 186, 321}, 0, invisible, 100, 0, scrollBarProc, 7, ""
};

resource 'STR ' (128, "Greeting") {
    "Welcome to Macintosh."
};

resource 'STR ' (129, purgeable) {
    "Window contents are drawn from a purgeable resource."
};

resource 'STR#' (128, "Window titles", purgeable) {
    {   "Untitled";
        "Notes";
        "Letter";
        "Budget";
        "Drawing";
        "Memo";
        "Report";
        "Sketch"
    }
};

/* ---- the Menu Manager's menus (MENU 128-135) ---------------------------------------- */

resource 'MENU' (130, "Edit") {
    130, textMenuProc, 0x7FFFFFFD, enabled, "Edit",
    {   "Undo", noIcon, "Z", noMark, plain;
        "-", noIcon, noKey, noMark, plain;
        "Cut", noIcon, "X", noMark, plain;
        "Copy", noIcon, "C", noMark, plain;
        "Paste", noIcon, "V", noMark, plain;
        "Clear", noIcon, noKey, noMark, plain
    }
};

/* ---- Control Manager (CNTL 128-139) ---------------------------------------- */

resource 'CNTL' (130, "Check box", purgeable) {
    {60, 20, 78, 200}, 1, visible, 1, 0, checkBoxProc, 0x0, "Keep a backup"
};

resource 'CNTL' (131, "Radio: text", purgeable) {
    {84, 20, 102, 200}, 1, visible, 1, 0, radioButProc, 1, "Plain text"
};

resource 'CNTL' (132, "Radio: styled", purgeable) {
    {104, 20, 122, 200}, 0, visible, 1, 0, radioButProc, 2, "Styled text"
};

/* ---- the Dialog Manager's (DLOG, ALRT, DITL 130-149) ---------------------------- */

resource 'DLOG' (130, "Edit", purgeable) {
    {100, 160, 300, 520}, dBoxProc, visible, noGoAway, 0x0, 130, "", noAutoCenter
};

resource 'DITL' (130, purgeable) {
    {   {160, 270, 180, 340}, Button { enabled, "OK" };
        {160, 180, 180, 250}, Button { enabled, "Cancel" };
        {12, 14, 28, 100}, StaticText { disabled, "Name: ^0" };
        {12, 104, 28, 340}, EditText { enabled, "Untitled" };
        {44, 14, 62, 200}, CheckBox { enabled, "Keep a copy" };
        {70, 14, 88, 200}, RadioButton { enabled, "Small" };
        {92, 14, 110, 200}, RadioButton { enabled, "Large" };
        {70, 220, 110, 340}, UserItem { disabled };
        {124, 104, 140, 340}, EditText { enabled, "" }
    }
};

/* Stages listed 4, 3, 2, 1: drawn with OK default and silent at first,
 * then a sound, then Cancel as the default, then only a sound. */
resource 'ALRT' (130, "Save changes") {
    {0, 0, 110, 360}, 131,
    {   OK, invisible, sound3;
        Cancel, visible, sound2;
        OK, visible, sound1;
        OK, visible, silent
    },
    alertPositionMainScreen
};

resource 'DITL' (131, purgeable) {
    {   {80, 280, 100, 350}, Button { enabled, "OK" };
        {80, 190, 100, 260}, Button { enabled, "Cancel" };
        {10, 70, 70, 350}, StaticText { disabled, "Save changes to \"^0\" before closing?" }
    }
};

/* The alert that reports a failure for lack of memory: preload it with
 * CouldAlert(131) so it is in memory when memory runs out. */
resource 'ALRT' (131, "Out of memory", purgeable) {
    {0, 0, 100, 340}, 132,
    {   OK, visible, sound1;
        OK, visible, sound1;
        OK, visible, sound1;
        OK, visible, sound1
    },
    alertPositionMainScreen
};

resource 'DITL' (132, purgeable) {
    {   {70, 260, 90, 330}, Button { enabled, "OK" };
        {10, 70, 60, 330}, StaticText { disabled, "^0 could not be done: there is not enough memory. ^1" }
    }
};

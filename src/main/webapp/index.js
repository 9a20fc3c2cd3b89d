/* The index page: only the masthead's reader state, which forms.js fills in. */
import "/forms.js";

"""Where the mishap is: the moment from sound onsets and motion, and the action's track."""

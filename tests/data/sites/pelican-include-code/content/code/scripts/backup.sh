#!/bin/sh
# copy the shed's notes to the stick
rsync -a notes/ /media/stick/notes/
echo "done"

#!/bin/sh
echo "сборка"
make all

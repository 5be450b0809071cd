# bash completion for briefgen                             -*- shell-script -*-
#
# Commands, each command's options, folders for DIR, -o/--output, --templates
# and --to, the values of --format and schema's briefing/partner, files for `dump tree`, da and en after --lang.  Only bash's own
# compgen is used, so it works with or without the bash-completion package.
# The option lists are written out here; tests/docs/ checks them against what
# each command accepts, its --help and man/briefgen.1.

_briefgen_options()
{
	case $1 in
	check) echo "--strict --no-source --format" ;;
	schema) echo "--format" ;;
	new) echo "--partner --name --country" ;;
	build) echo "-o --output --pdf --chromium --lang --templates --include-internal --strict --no-source -j --jobs" ;;
	serve) echo "--port --bind --open --chromium --lang --templates --include-internal --strict --no-source -j --jobs" ;;
	publish) echo "--to --force --rollback --pdf --chromium --lang --templates --include-internal --strict --no-source -j --jobs" ;;
	dump) echo "--include-internal" ;;
	esac
}

_briefgen_dirs()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY+=($(compgen -d -- "$1"))
}

_briefgen_files()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY+=($(compgen -f -- "$1"))
}

_briefgen()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd="" form="" i
	COMPREPLY=()

	# The command is the first word that is not an option; for dump and
	# templates the word after it is the form.
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ -z $cmd && ${COMP_WORDS[i]} != -* ]]; then
			cmd=${COMP_WORDS[i]}
		elif [[ -n $cmd && -z $form && ${COMP_WORDS[i]} != -* ]]; then
			form=${COMP_WORDS[i]}
		fi
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "check build schema dump templates serve publish verify new -h --help --version" -- "$cur"))
		return
	fi

	case $prev in
	-o | --output | --templates | --to)
		_briefgen_dirs "$cur"
		return ;;
	--lang)
		COMPREPLY=($(compgen -W "da en" -- "$cur"))
		return ;;
	--chromium)
		_briefgen_files "$cur"
		return ;;
	--format)
		if [[ $cmd == schema ]]; then
			COMPREPLY=($(compgen -W "markdown json-schema" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json sarif" -- "$cur"))
		fi
		return ;;
	--port | --bind | --partner | --name | --country | -j | --jobs)
		return ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_briefgen_options "$cmd") --help" -- "$cur"))
		return
	fi

	case $cmd in
	check | build | serve | publish | verify | new)
		_briefgen_dirs "$cur" ;;
	schema)
		COMPREPLY=($(compgen -W "briefing partner" -- "$cur")) ;;
	dump)
		case $form in
		"") COMPREPLY=($(compgen -W "tree budget" -- "$cur")) ;;
		tree) [[ $COMP_CWORD -eq 3 ]] && _briefgen_files "$cur" ;;
		budget) _briefgen_dirs "$cur" ;;
		esac ;;
	templates)
		case $form in
		"") COMPREPLY=($(compgen -W "export list" -- "$cur")) ;;
		export) [[ $COMP_CWORD -eq 3 ]] && _briefgen_dirs "$cur" ;;
		esac ;;
	esac
} &&
	complete -F _briefgen briefgen

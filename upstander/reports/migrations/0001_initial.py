"""The reports core takes over the report and everything kept with it from `cases` and `intake`.

State only: the tables stay where they are (each model keeps its old table through Meta.db_table), so no row moves
and an existing database migrates without touching its data. `cases` and `intake` drop the models from their state
in their next migrations, after every foreign key that pointed at the old models points here.
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('cases', '0004_decision_value_text'),
        ('intake', '0001_initial'),
        ('people', '0002_association_public_id'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Draft',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('payload_ct', models.BinaryField()),
                        ('expires_at', models.DateTimeField(db_index=True)),
                    ],
                    options={
                        'db_table': 'intake_draft',
                    },
                ),
                migrations.CreateModel(
                    name='ReceiptFailureWindow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('window_start', models.DateTimeField(unique=True)),
                        ('attempts', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'intake_receiptfailurewindow',
                    },
                ),
                migrations.CreateModel(
                    name='PendingBlob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=32, unique=True)),
                        ('reserved_on', models.DateField()),
                        ('draft', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='blobs', to='reports.draft')),
                    ],
                    options={
                        'db_table': 'intake_pendingblob',
                    },
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('channel', models.CharField(choices=[('online', 'Online form'), ('colleague', 'Raised by a colleague'), ('public_complaint', 'Public complaint'), ('listening_circle', 'Listening circle'), ('phone', 'Telephone'), ('referral', 'Internal referral')], max_length=24)),
                        ('mode', models.CharField(choices=[('named', 'Named'), ('confidential', 'Confidential'), ('anonymous', 'Anonymous')], max_length=16)),
                        ('route', models.CharField(choices=[('force', 'Professional standards'), ('independent', 'Independent route (overseer only)')], default='force', max_length=16)),
                        ('reporter_type', models.CharField(choices=[('public', 'Member of the public'), ('staff', 'Police officer or staff')], max_length=16)),
                        ('reporter_role', models.CharField(blank=True, choices=[('victim', 'The person it happened to'), ('witness', 'A witness'), ('third_party', 'Someone who was told about it')], max_length=16)),
                        ('categories', models.JSONField(default=list)),
                        ('received_on', models.DateField()),
                        ('incident_on', models.DateField(blank=True, null=True)),
                        ('still_works_alongside', models.BooleanField(null=True)),
                        ('released_on', models.DateField(blank=True, null=True)),
                        ('reporter_sex', models.CharField(blank=True, max_length=24)),
                        ('reporter_ethnicity', models.CharField(blank=True, max_length=40)),
                        ('narrative_ct', models.BinaryField(null=True)),
                        ('place_ct', models.BinaryField(null=True)),
                        ('identity_ct', models.BinaryField(null=True)),
                        ('sealed_identity', models.BinaryField(null=True)),
                        ('receipt_lookup', models.CharField(max_length=64, null=True, unique=True)),
                        ('receipt_sealed_key', models.BinaryField(null=True)),
                        ('wants_update_email', models.BooleanField(default=False)),
                        ('purged_on', models.DateField(blank=True, null=True)),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reports', to='cases.case')),
                        ('facilitator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='recorded_disclosures', to=settings.AUTH_USER_MODEL)),
                        ('handling_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='accounts.organisation')),
                    ],
                    options={
                        'db_table': 'cases_report',
                    },
                ),
                migrations.CreateModel(
                    name='Message',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('direction', models.CharField(choices=[('from_reporter', 'From the reporter'), ('to_reporter', 'To the reporter')], max_length=16)),
                        ('body_ct', models.BinaryField()),
                        ('sent_on', models.DateField()),
                        ('sequence', models.PositiveIntegerField()),
                        ('is_question', models.BooleanField(default=False)),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='reports.report')),
                    ],
                    options={
                        'db_table': 'cases_message',
                        'ordering': ['sequence'],
                    },
                ),
                migrations.CreateModel(
                    name='ListeningCircleDisclosure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('session_on', models.DateField()),
                        ('consent', models.CharField(choices=[('case_team', 'They agree to it going to the case team'), ('record_only', 'Record it only for now: ask them before anyone acts on it')], max_length=16)),
                        ('report', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='disclosure', to='reports.report')),
                    ],
                    options={
                        'db_table': 'intake_listeningcircledisclosure',
                    },
                ),
                migrations.CreateModel(
                    name='Attachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('key_ct', models.BinaryField()),
                        ('name_ct', models.BinaryField()),
                        ('original_blob', models.CharField(max_length=32, unique=True)),
                        ('clean_blob', models.CharField(max_length=32, unique=True)),
                        ('kind', models.CharField(choices=[('image', 'Image'), ('pdf', 'PDF document'), ('office', 'Office document'), ('text', 'Text'), ('media', 'Audio or video'), ('unsafe', 'Web page or drawing (download only)'), ('other', 'Other file (download only)')], max_length=16)),
                        ('content_type', models.CharField(max_length=100)),
                        ('inline_safe', models.BooleanField(default=False)),
                        ('metadata_removed', models.BooleanField(default=False)),
                        ('size', models.PositiveIntegerField()),
                        ('added_on', models.DateField()),
                        ('message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reports.message')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='reports.report')),
                    ],
                    options={
                        'db_table': 'intake_attachment',
                    },
                ),
                migrations.CreateModel(
                    name='ReporterLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person')),
                        ('report', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reporter_link', to='reports.report')),
                    ],
                    options={
                        'db_table': 'cases_reporterlink',
                    },
                ),
                migrations.CreateModel(
                    name='ReporterRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('kind', models.CharField(choices=[('information', 'More information'), ('retaliation', 'Retaliation since the report'), ('review', 'Application for a review of the outcome')], max_length=16)),
                        ('made_on', models.DateField()),
                        ('message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reports.message')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reporter_requests', to='reports.report')),
                    ],
                    options={
                        'db_table': 'intake_reporterrequest',
                    },
                ),
                migrations.CreateModel(
                    name='SealedKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sealed', models.BinaryField()),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sealed_keys', to='reports.report')),
                    ],
                    options={
                        'db_table': 'cases_sealedkey',
                    },
                ),
                migrations.CreateModel(
                    name='SubjectMention',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('name_as_written', models.CharField(blank=True, max_length=200)),
                        ('number_as_written', models.CharField(blank=True, max_length=64)),
                        ('unit_as_written', models.CharField(blank=True, max_length=200)),
                        ('rank_as_written', models.CharField(blank=True, max_length=64)),
                        ('link_status', models.CharField(choices=[('unresolved', 'Not yet linked'), ('suggested', 'Suggested, awaiting a handler'), ('linked', 'Linked automatically'), ('confirmed', 'Confirmed by a handler'), ('rejected', 'No match in the roster')], default='unresolved', max_length=16)),
                        ('match_probability', models.FloatField(blank=True, null=True)),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='mentions', to='people.person')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentions', to='reports.report')),
                    ],
                    options={
                        'db_table': 'cases_subjectmention',
                    },
                ),
                migrations.CreateModel(
                    name='UpdateContact',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email_ct', models.BinaryField()),
                        ('report', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='update_contact', to='reports.report')),
                    ],
                    options={
                        'db_table': 'intake_updatecontact',
                    },
                ),
                migrations.AddIndex(
                    model_name='report',
                    index=models.Index(fields=['handling_org', 'received_on'], name='cases_repor_handlin_7d0ab1_idx'),
                ),
                migrations.AddConstraint(
                    model_name='message',
                    constraint=models.UniqueConstraint(fields=('report', 'sequence'), name='message_sequence'),
                ),
                migrations.AddConstraint(
                    model_name='sealedkey',
                    constraint=models.UniqueConstraint(fields=('report', 'organisation'), name='one_sealed_key_per_org'),
                ),
            ],
            database_operations=[],
        ),
    ]
